import type { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { Forbidden } from '../domain/errors';

// Synchroniser token kept in the session; every POST carries it in the `_csrf` field.
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
});

export function setUpCsrf() {
  return [
    (req: Request, res: Response, next: NextFunction) =>
      csrfSynchronisedProtection(req, res, (err?: unknown) =>
        err ? next(new Forbidden('页面已过期或请求来源无效，请刷新页面后重试')) : next(),
      ),
    // Only a signed-in session gets its token without asking: an anonymous visitor's session
    // (and its row) is made only by the pages whose forms need one (ensureCsrfToken).
    (req: Request, res: Response, next: NextFunction) => {
      if (req.session?.userId) ensureCsrfToken(req, res);
      next();
    },
  ];
}

/** The session's token for a form on an anonymous page (login, registration). */
export function ensureCsrfToken(req: Request, res: Response): void {
  res.locals.csrfToken = generateToken(req);
}

/** A fresh token after the session was regenerated (login). */
export function refreshCsrfToken(req: Request, res: Response): void {
  res.locals.csrfToken = generateToken(req, true);
}
