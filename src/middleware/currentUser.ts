import type { NextFunction, Request, Response } from 'express';
import type { Services } from '../services';
import {
  currentUserOf,
  type CurrentUser,
  type EnterpriseUser,
  type RegulatorUser,
} from '../services/session';
import { NotFound } from '../domain/errors';
import { mayEnter, type Area } from '../domain/roles';
import { paths } from '../paths';
import { secondFactorRequired } from '../domain/secondFactor';
import { rememberReturn } from './returnTo';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      currentUser?: CurrentUser;
      csrfToken?: string;
      currentPath?: string;
    }
  }
}

/**
 * The cookie named a session the store no longer serves: if it timed out signed in, that is
 * recorded (session.expired) — before CSRF, which would refuse a form posted with it.
 */
export function recordSessionExpiry(services: Services) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (req.staleSessionId) await services.session.sessionEnded(req.staleSessionId, req.ip ?? null);
    next();
  };
}

export function setUpCurrentUser(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.currentPath = req.path;
    const userId = req.session?.userId;
    if (userId) {
      // Read with the session in one statement when the store could (webSession.ts).
      const preloaded = req.sessionUser;
      const user =
        preloaded === undefined || (preloaded !== null && preloaded.id !== userId)
          ? await services.session.currentUser(userId)
          : preloaded && currentUserOf(preloaded);
      if (user) {
        const policy = await services.securityPolicy.current();
        res.locals.currentUser = {
          ...user,
          mustEnrolSecondFactor: !user.secondFactorEnabled && secondFactorRequired(user.role, policy),
        };
        // 安全策略's idle timeout: the cookie and the stored session expire that long after this request.
        req.session.cookie.maxAge = policy.idleMinutes * 60_000;
        // A signed-in user's pages stay out of every cache: after 退出, Back shows nothing of theirs.
        res.set('Cache-Control', 'no-store');
      } else delete req.session.userId;
    }
    next();
  };
}

/**
 * Anonymous users go to the login page, a half-signed-in session (password right, second factor
 * awaited) to its second step; a first login must change its password first, then enrol the
 * second factor where one is required (domain/secondFactor.ts).
 */
export function requireLogin(req: Request, res: Response, next: NextFunction) {
  const user = res.locals.currentUser;
  if (!user) {
    // Come back here after login — for pages only, not images or scripts the page asked for.
    if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') rememberReturn(req, res);
    return res.redirect(req.session?.secondStep ? paths.loginSecondFactor() : paths.login());
  }
  const first = user.mustChangePassword
    ? paths.account.password()
    : user.mustEnrolSecondFactor
      ? paths.account.secondFactor()
      : null;
  if (first && req.path !== first && req.path !== paths.logout()) return res.redirect(first);
  next();
}

/** Other roles are told the page does not exist: no hint of what lies behind it (domain/roles.ts). */
export function requireArea(area: Area) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const user = res.locals.currentUser;
    if (!user || !mayEnter(user.role, area)) return next(new NotFound());
    next();
  };
}

export function currentUser(res: Response): CurrentUser {
  const user = res.locals.currentUser;
  if (!user) throw new NotFound();
  return user;
}

/** The signed-in reviewer of an agency: routes under requireArea('review'). Anyone else: 404. */
export function currentRegulator(res: Response): RegulatorUser {
  const user = currentUser(res);
  if (user.role !== 'regulator') throw new NotFound();
  return user;
}

/** The signed-in enterprise: routes under requireArea('filing'). Anyone else: 404. */
export function currentEnterprise(res: Response): EnterpriseUser {
  const user = currentUser(res);
  if (user.role !== 'enterprise') throw new NotFound();
  return user;
}
