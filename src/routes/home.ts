import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { currentUser } from '../middleware/currentUser';

export function homeFor(role: string): string {
  if (role === 'regulator') return paths.review.list();
  if (role === 'enterprise') return paths.enterprise.home();
  if (role === 'admin') return paths.admin.users();
  return paths.account.show();
}

export function setUpHome(): Router {
  const router = express.Router();
  router.get(paths.home(), (_req, res) => res.redirect(homeFor(currentUser(res).role)));
  return router;
}

export function setUpHealth(services: Services): Router {
  const router = express.Router();
  router.get(paths.healthz(), async (_req, res) => {
    const ok = await services.healthy();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
  });
  return router;
}
