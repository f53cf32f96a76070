import express, { type Router } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { Config } from '../config';
import { loadSessionWithUser, type CurrentUserRow } from '../data/currentUser';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The user row read with the session in one statement (undefined: not read that way, e.g.
       * a new session; null: the session is signed in as nobody, or as a user no longer there).
       */
      sessionUser?: CurrentUserRow | null;
      /**
       * The session id the request's cookie named when the store no longer serves it (timed
       * out idle, or unknown): setUpCurrentUser records the expiry (session.expired).
       */
      staleSessionId?: string;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** Half signed in: the password was right, the second factor's code is awaited (ms since epoch). */
    secondStep?: { userId: number; username: string; since: number };
    captcha?: string;
    flash?: { kind: 'success' | 'error' | 'info'; text: string }[];
  }
}

export const SESSION_COOKIE = 'fkm.sid';

// Sessions live in PostgreSQL (they survive a restart and are shared by every app process) and
// expire after `sessionIdleMinutes` without a request (rolling cookie and store expiry, the
// latter moved at most once a minute).
/** Sliding expiry is kept to the minute: one session row UPDATE a minute, not one a request. */
const TOUCH_EVERY_MS = 60_000;

export function setUpWebSession(config: Config, pool: pg.Pool): Router {
  const PgStore = connectPgSimple(session);
  const touchedAt = new Map<string, number>();
  // The user read with each session, until express-session hands that session to the request.
  const usersOf = new WeakMap<object, CurrentUserRow | null>();
  // Ids asked for and not found, until express-session generates the request's new session
  // (synchronously, in get's callback): that is where the request is at hand.
  const missing = new Set<string>();
  class MinuteTouchStore extends PgStore {
    /** The session and its signed-in user in one statement (data/currentUser.ts). */
    get(sid: string, fn: (err: unknown, sess?: session.SessionData | null) => void): void {
      loadSessionWithUser(pool, sid).then(
        (found) => {
          if (!found) {
            missing.add(sid);
            fn(null, null);
            missing.delete(sid);
            return;
          }
          usersOf.set(found.sess, found.user);
          fn(null, found.sess as unknown as session.SessionData);
        },
        (err: unknown) => (err instanceof SyntaxError ? this.destroy(sid, (e) => fn(e, null)) : fn(err)),
      );
    }
    createSession(req: express.Request, sess: session.SessionData): session.Session & session.SessionData {
      if (usersOf.has(sess)) req.sessionUser = usersOf.get(sess);
      return super.createSession(req, sess);
    }
    touch(sid: string, sess: session.SessionData, fn?: (err?: unknown) => void): void {
      const now = Date.now();
      if (now - (touchedAt.get(sid) ?? 0) < TOUCH_EVERY_MS) return fn?.();
      if (touchedAt.size > 50_000) touchedAt.clear(); // only a saving, never a rule
      touchedAt.set(sid, now);
      super.touch(sid, sess, fn);
    }
  }
  const store = new MinuteTouchStore({
    pool,
    tableName: 'session',
    createTableIfMissing: false,
    // Expired rows are removed by the server's job (services.session.pruneExpiredEvery).
    pruneSessionInterval: false,
  });
  const router = express.Router();
  router.use(
    session({
      name: SESSION_COOKIE,
      store,
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
  // express-session assigns the store's generate() when the middleware is made: wrapped after.
  const generating = store as unknown as { generate: (req: express.Request) => void };
  const generate = generating.generate.bind(store);
  generating.generate = (req) => {
    if (req.sessionID && missing.has(req.sessionID)) req.staleSessionId = req.sessionID;
    generate(req);
  };
  router.use(saveBeforeResponding);
  return router;
}

/** What express-session compares to decide whether a session changed (the cookie aside). */
function sessionState(req: express.Request): string | undefined {
  if (!req.session) return undefined;
  const { cookie: _cookie, ...data } = req.session;
  return JSON.stringify(data);
}

/**
 * express-session sends a response before its save of a changed session completes (all but the
 * last byte), so the browser can act on it against the old session: follow a redirect after a
 * login or a POST that left a flash (the login seems not to have happened, the flash is lost),
 * or fetch a page's captcha image before the session that holds the page's CSRF token exists
 * (the captcha then starts another session, and the login form is refused as expired). A
 * redirect or a rendered page therefore goes out only once the session is saved.
 */
function saveBeforeResponding(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const before = sessionState(req);
  const afterSave = (send: () => void): void => {
    if (!req.session || sessionState(req) === before) return send();
    // A failed save is not this wrapper's to report: express-session saves again at the end of
    // the response and passes that error on (reporting it here too would render the error page
    // through this wrapper again).
    req.session.save(() => send());
  };
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => afterSave(() => redirect(...args))) as express.Response['redirect'];
  const render = res.render.bind(res) as (view: string, options: object, done: RenderDone) => void;
  res.render = ((view: string, options?: object | RenderDone, done?: RenderDone) => {
    if (typeof options === 'function' || done) return render(view, options as object, done!);
    // Rendered first: the page itself may change the session (a flash it shows is consumed).
    render(view, options ?? {}, (err, html) => (err ? req.next!(err) : afterSave(() => res.send(html))));
  }) as express.Response['render'];
  next();
}
type RenderDone = (err: Error | null, html: string) => void;

export function regenerateSession(req: express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
