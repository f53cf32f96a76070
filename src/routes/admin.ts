import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { currentUser } from '../middleware/currentUser';
import { flash } from '../middleware/flash';
import { parseAccountQuery } from '../services/accountAdmin';
import { idParam } from './stored';
import { accountListHref, accountListView } from './viewModels/admin';

/** The searched list a row action came from, rebuilt from what it parses to (never a raw URL). */
function listPostedFrom(body: unknown): string {
  const back = (body as { back?: unknown } | undefined)?.back;
  const raw = Object.fromEntries(new URLSearchParams(typeof back === 'string' ? back : ''));
  const query = parseAccountQuery(raw);
  return accountListHref(query, query.page);
}

// 账号管理 (the national centre's admin): find accounts, reset a forgotten password, unlock.
export function setUpAdmin(services: Services): Router {
  const router = express.Router();
  const { accountAdmin } = services;

  router.get(paths.admin.users(), async (req, res) => {
    const list = await accountAdmin.list(parseAccountQuery(req.query as Record<string, unknown>));
    res.render('pages/admin/users', accountListView(list, currentUser(res).id));
  });

  // The new password is shown on this response alone: it is never stored anywhere readable
  // (not in a flash message, which lives in the session table until shown).
  router.post('/admin/users/:id/reset-password', async (req, res) => {
    const { username, password } = await accountAdmin.resetPassword(currentUser(res), idParam(req.params.id));
    const backHref = listPostedFrom(req.body);
    res.set('Cache-Control', 'no-store');
    res.render('pages/admin/passwordReset', {
      title: '密码已重置',
      breadcrumbs: [{ label: '账号管理', href: backHref }, { label: '密码已重置' }],
      username,
      password,
      backHref,
    });
  });

  router.post('/admin/users/:id/unlock', async (req, res) => {
    const username = await accountAdmin.unlock(currentUser(res), idParam(req.params.id));
    flash(req, 'success', `已解除账号 ${username} 的锁定。`);
    res.redirect(listPostedFrom(req.body));
  });

  return router;
}
