import express, { type Router } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { Config } from '../config';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    captcha?: string;
    flash?: { kind: 'success' | 'error' | 'info'; text: string }[];
    returnTo?: string;
  }
}

export const SESSION_COOKIE = 'fkm.sid';

// Sessions live in PostgreSQL (they survive a restart and are shared by every app process) and
// expire after `sessionIdleMinutes` without a request (rolling cookie and store expiry).
export function setUpWebSession(config: Config, pool: pg.Pool): Router {
  const PgStore = connectPgSimple(session);
  const router = express.Router();
  router.use(
    session({
      name: SESSION_COOKIE,
      store: new PgStore({
        pool,
        tableName: 'session',
        createTableIfMissing: false,
        pruneSessionInterval: 600,
      }),
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: config.sessionIdleMinutes * 60 * 1000,
      },
    }),
  );
  return router;
}

export function regenerateSession(req: express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}

export function saveSession(req: express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}
