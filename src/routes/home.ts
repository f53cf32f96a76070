import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { homeAreaOf, type Area, type Role } from '../domain/roles';
import { currentUser } from '../middleware/currentUser';
import { databaseOutage, RETRY_AFTER_SECONDS } from '../db/unavailable';

/** /healthz answers within 2 s: a load balancer's probe must not hang on a stalled database. */
const HEALTH_CHECK_MS = 1500;

const AREA_HOME: Record<Area, string> = {
  review: paths.review.list(),
  filing: paths.enterprise.home(),
  accounts: paths.admin.users(),
  security: paths.admin.security(),
  audit: paths.audit.list(),
};

export function homeFor(role: Role): string {
  return AREA_HOME[homeAreaOf(role)];
}

export function setUpHome(): Router {
  const router = express.Router();
  router.get(paths.home(), (_req, res) => res.redirect(homeFor(currentUser(res).role)));
  return router;
}

export function setUpHealth(services: Services): Router {
  const router = express.Router();
  router.get(paths.healthz(), async (_req, res) => {
    const database = await services.databaseHealth(HEALTH_CHECK_MS);
    if (database === 'ok') databaseOutage.markUp();
    else res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(database === 'ok' ? 200 : 503).json({
      status: database === 'ok' ? 'ok' : 'database unavailable',
      database, // ok | unreachable (refused, broken, no connection in time) | slow (no answer in time)
    });
  });
  return router;
}
