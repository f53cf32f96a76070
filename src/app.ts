import { rememberWrites, routeReads } from './middleware/readRouting';
import express, { type Express } from 'express';
import path from 'node:path';
import type pg from 'pg';
import type { Services } from './services';
import { paths } from './paths';
import { setUpWebSecurity } from './middleware/webSecurity';
import { setUpRequestContext } from './middleware/requestContext';
import { refuseUnstorableText } from './middleware/badInput';
import { setUpWebSession } from './middleware/webSession';
import { setUpCsrf } from './middleware/csrf';
import { setUpFlash } from './middleware/flash';
import { setUpUrges } from './routes/urges';
import { recordSessionExpiry, requireArea, requireLogin, setUpCurrentUser } from './middleware/currentUser';
import { errorHandler, notFoundHandler } from './middleware/errorHandler';
import { setUpAuth } from './routes/auth';
import { setUpAccount } from './routes/account';
import { setUpHealth, setUpHome } from './routes/home';
import { setUpReview } from './routes/review';
import { setUpRegister } from './routes/register';
import { setUpEnterprise } from './routes/enterprise';
import { setUpStored } from './routes/stored';
import { setUpTracking } from './routes/tracking';
import { setUpStats } from './routes/stats';
import { setUpAdmin } from './routes/admin';
import { setUpCampaign } from './routes/campaign';
import { countUnreadNotices, setUpNotices } from './routes/notices';
import { setUpSecurity } from './routes/security';
import { setUpAudit } from './routes/audit';
import { viewHelpers } from './routes/viewHelpers';

// views/ and public/ sit at the project root, above src/ (tsx) or above dist/src/ (npm run build).
const PROJECT_ROOT = path.resolve(
  __dirname,
  path.basename(path.dirname(__dirname)) === 'dist' ? '../..' : '..',
);

export interface AppDeps {
  services: Services;
  sessionPool: pg.Pool;
}

// Middleware in a fixed order: request id, security, static, health, session, CSRF, user, routes, 404, errors.
export function createApp({ services, sessionPool }: AppDeps): Express {
  const app = express();
  const { config } = services;
  app.set('view engine', 'ejs');
  app.set('views', path.join(PROJECT_ROOT, 'views'));
  // Which address a request comes from (login throttling counts by it): TRUST_PROXY, default none.
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // Compiled templates are kept (EJS recompiles every include on every render otherwise).
  if (config.viewCache) app.enable('view cache');
  Object.assign(app.locals, { paths, h: viewHelpers, systemName: '非煤矿山安全生产基本情况普查系统' });

  app.use(setUpRequestContext(config.trustProxy));
  app.use(setUpWebSecurity(config));
  app.use(refuseUnstorableText);
  app.use(
    '/public',
    express.static(path.join(PROJECT_ROOT, 'public'), { maxAge: config.env === 'production' ? '1d' : 0 }),
  );
  app.get('/favicon.ico', (_req, res) => res.redirect(301, paths.static('favicon.svg')));
  app.use(setUpHealth(services));
  app.use(setUpWebSession(config, sessionPool));
  app.use(recordSessionExpiry(services));
  app.use(rememberWrites());
  app.use(setUpCsrf());
  app.use(setUpFlash());
  app.use(setUpCurrentUser(services));

  app.use(setUpAuth(services));
  app.use(setUpRegister(services));
  app.use(requireLogin);
  app.use(countUnreadNotices(services));
  app.use(setUpHome());
  app.use(setUpAccount(services));
  // Role gates by URL prefix (SPEC §8); each router then checks jurisdiction per record.
  app.use(
    [
      '/review',
      '/urges',
      '/campaign',
      '/notices',
      '/stored',
      '/stored.xlsx',
      '/tracking',
      '/stats',
      '/stats.xlsx',
    ],
    requireArea('review'),
  );
  // The read pages may read a streaming replica (DATABASE_REPLICA_URL); everything else the primary.
  app.use(['/stored', '/stored.xlsx', '/tracking', '/stats', '/stats.xlsx'], routeReads(services));
  app.use('/enterprise', requireArea('filing'));
  // 三员分立: each administrator's pages are the others' 404 (domain/roles.ts).
  app.use(paths.admin.users(), requireArea('accounts'));
  app.use(paths.admin.security(), requireArea('security'));
  app.use([paths.audit.list(), paths.audit.xlsx()], requireArea('audit'));
  app.use(setUpNotices(services));
  app.use(setUpUrges(services));
  app.use(setUpReview(services));
  app.use(setUpStored(services));
  app.use(setUpTracking(services));
  app.use(setUpStats(services));
  app.use(setUpCampaign(services));
  app.use(setUpEnterprise(services));
  app.use(setUpAdmin(services));
  app.use(setUpSecurity(services));
  app.use(setUpAudit(services));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
