import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { currentUser } from '../middleware/currentUser';
import { flash } from '../middleware/flash';
import { ValidationFailed } from '../domain/errors';
import { POLICY_LABELS, policyFormValues } from '../domain/securityPolicy';
import { parseAccountQuery } from './queryParsers';
import { idParam, idRoute } from './params';
import { noteFiltersNotUnderstood } from './listFilters';
import { accountListView } from './viewModels/admin';
import { listPostedFrom } from './backLinks';
import { securityPolicyView } from './viewModels/security';

// 安全策略 (the 安全管理员's): the policy in force and its change history; unlocking accounts.
export function setUpSecurity(services: Services): Router {
  const router = express.Router();
  const { securityPolicy, accountAdmin } = services;

  async function renderPolicy(res: express.Response, values?: Record<string, string>, errors = {}) {
    const [policy, history] = await Promise.all([securityPolicy.current(), securityPolicy.history()]);
    res.render(
      'pages/admin/security',
      securityPolicyView(values ?? policyFormValues(policy), errors, history),
    );
  }

  router.get(paths.admin.security(), async (_req, res) => renderPolicy(res));

  router.post(paths.admin.security(), async (req, res) => {
    try {
      const changed = await securityPolicy.save(currentUser(res).id, req.ip ?? null, req.body);
      flash(
        req,
        'success',
        changed.length
          ? `安全策略已保存：${changed.map((c) => POLICY_LABELS[c]).join('、')}已修改。`
          : '安全策略没有变化，未保存。',
      );
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      res.status(422);
      return renderPolicy(res, err.values as Record<string, string>, err.errors);
    }
    res.redirect(paths.admin.security());
  });

  router.get(paths.admin.securityAccounts(), async (req, res) => {
    const query = parseAccountQuery(req.query as Record<string, unknown>);
    const list = await accountAdmin.list(query);
    noteFiltersNotUnderstood(res, query.notUnderstood);
    res.render('pages/admin/users', accountListView(list, currentUser(res).id, 'security'));
  });

  router.post(idRoute(paths.admin.unlock), async (req, res) => {
    const username = await accountAdmin.unlock(currentUser(res), idParam(req.params.id), req.ip ?? null);
    flash(req, 'success', `已解除账号 ${username} 的锁定。`);
    res.redirect(listPostedFrom('security', req.body));
  });

  return router;
}
