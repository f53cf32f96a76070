import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { currentUser } from '../middleware/currentUser';
import { ValidationFailed } from '../domain/errors';
import { parseAccountQuery } from './queryParsers';
import { idParam, idRoute } from './params';
import { noteFiltersNotUnderstood } from './listFilters';
import { listPostedFrom } from './backLinks';
import { flash } from '../middleware/flash';
import { accountListView, issueFormView } from './viewModels/admin';

// 账号管理 (the 系统管理员's): find accounts, reset a forgotten password, issue regulator accounts.
export function setUpAdmin(services: Services): Router {
  const router = express.Router();
  const { accountAdmin } = services;

  router.get(paths.admin.users(), async (req, res) => {
    const query = parseAccountQuery(req.query as Record<string, unknown>);
    const list = await accountAdmin.list(query);
    noteFiltersNotUnderstood(res, query.notUnderstood);
    res.render('pages/admin/users', accountListView(list, currentUser(res).id, 'accounts'));
  });

  const renderIssue = (res: express.Response, values: Record<string, unknown>, errors = {}) =>
    res.render('pages/admin/issue', issueFormView(values, errors));

  router.get(paths.admin.issue(), (_req, res) => renderIssue(res, { region: '', level: '' }));

  // The CSV goes out in this response alone (no-store): the passwords are kept nowhere.
  router.post(paths.admin.issue(), async (req, res) => {
    try {
      const { csv } = await accountAdmin.issueRegulators(currentUser(res), req.ip ?? null, req.body);
      res.set('Cache-Control', 'no-store');
      res.attachment(`监管部门账号-${new Date().toISOString().slice(0, 10)}.csv`);
      res.type('text/csv; charset=utf-8').send(csv);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      res.status(422);
      renderIssue(res, err.values, err.errors);
    }
  });

  // The new password is shown on this response alone: it is never stored anywhere readable
  // (not in a flash message, which lives in the session table until shown).
  router.post(idRoute(paths.admin.resetPassword), async (req, res) => {
    const { username, password } = await accountAdmin.resetPassword(
      currentUser(res),
      idParam(req.params.id),
      req.ip ?? null,
    );
    const backHref = listPostedFrom('accounts', req.body);
    res.set('Cache-Control', 'no-store');
    res.render('pages/admin/passwordReset', {
      title: '密码已重置',
      breadcrumbs: [{ label: '账号管理', href: backHref }, { label: '密码已重置' }],
      username,
      password,
      backHref,
    });
  });

  router.post(idRoute(paths.admin.resetSecondFactor), async (req, res) => {
    const username = await accountAdmin.resetSecondFactor(
      currentUser(res),
      idParam(req.params.id),
      req.ip ?? null,
    );
    flash(req, 'success', `已重置账号 ${username} 的双因素认证，该用户下次登录时须重新绑定。`);
    res.redirect(listPostedFrom('accounts', req.body));
  });

  return router;
}
