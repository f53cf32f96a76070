import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { pickStrings } from '../domain/account';
import { destroySession, regenerateSession, SESSION_COOKIE } from '../middleware/webSession';
import { ensureCsrfToken, refreshCsrfToken } from '../middleware/csrf';
import { takeReturn } from '../middleware/returnTo';
import { flash } from '../middleware/flash';
import { previousLoginText } from '../domain/passwordLifecycle';
import { viewHelpers } from './viewHelpers';
import type { LoginDone } from '../services/auth';

export function setUpAuth(services: Services): Router {
  const router = express.Router();

  router.get(paths.captcha(), (req, res) => {
    const { svg, answer } = services.captcha.create();
    req.session.captcha = answer;
    res.set('Cache-Control', 'no-store').type('image/svg+xml').send(svg);
  });

  router.get(paths.login(), (req, res) => {
    if (res.locals.currentUser) return res.redirect(paths.home());
    ensureCsrfToken(req, res);
    res.render('pages/auth/login', { title: '登录', values: { username: '' }, error: null });
  });

  router.post(paths.login(), async (req, res) => {
    const form = pickStrings(req.body, ['username', 'password', 'captcha']);
    const expectedCaptcha = req.session.captcha;
    delete req.session.captcha; // single use, whatever the outcome
    const result = await services.auth.login({
      ...form,
      expectedCaptcha,
      address: req.ip ?? 'unknown',
    });
    if (!result.ok) {
      ensureCsrfToken(req, res);
      if (result.retryAfterSeconds) res.set('Retry-After', String(result.retryAfterSeconds));
      return res.status(result.retryAfterSeconds ? 429 : 401).render('pages/auth/login', {
        title: '登录',
        values: { username: form.username },
        error: result.message,
        errorFields: result.fields ?? [],
      });
    }
    await regenerateSession(req); // no session fixation
    if (result.secondStep) {
      // Half signed in: no userId, so every page but the second step treats the session as anonymous.
      req.session.secondStep = {
        userId: result.userId,
        username: result.username,
        since: result.at.getTime(),
      };
      refreshCsrfToken(req, res);
      return res.redirect(paths.loginSecondFactor());
    }
    signedIn(req, res, result);
  });

  const renderSecondStep = (res: express.Response, error: string | null) =>
    res.render('pages/auth/secondFactor', { title: '双因素认证', error });

  router.get(paths.loginSecondFactor(), (req, res) => {
    if (res.locals.currentUser) return res.redirect(paths.home());
    if (!req.session.secondStep) return res.redirect(paths.login());
    ensureCsrfToken(req, res);
    renderSecondStep(res, null);
  });

  router.post(paths.loginSecondFactor(), async (req, res) => {
    const pending = req.session.secondStep;
    if (!pending) return res.redirect(paths.login());
    const result = await services.auth.secondStep({
      userId: pending.userId,
      username: pending.username,
      since: new Date(pending.since),
      code: pickStrings(req.body, ['code']).code,
      address: req.ip ?? 'unknown',
    });
    if (!result.ok) {
      if (result.retryAfterSeconds) res.set('Retry-After', String(result.retryAfterSeconds));
      res.status(result.retryAfterSeconds ? 429 : 401);
      ensureCsrfToken(req, res);
      if (!result.restart) return renderSecondStep(res, result.message);
      delete req.session.secondStep;
      return res.render('pages/auth/login', {
        title: '登录',
        values: { username: pending.username },
        error: result.message,
        errorFields: [],
      });
    }
    await regenerateSession(req); // the half-signed-in session ends; a new one is signed in
    if (result.method === 'recovery_code')
      flash(
        req,
        'error',
        `您使用了一个恢复码登录，还剩 ${result.recoveryCodesLeft ?? 0} 个未使用的恢复码。如手机丢失或更换，请联系系统管理员重置双因素认证。`,
      );
    signedIn(req, res, result);
  });

  /** A completed login: the session signed in, the previous login told, on to where the user was going. */
  function signedIn(req: express.Request, res: express.Response, result: LoginDone) {
    req.session.userId = result.user.id;
    const { at, address, failures } = result.previous;
    flash(
      req,
      failures > 0 ? 'error' : 'info',
      previousLoginText(at, address, failures, viewHelpers.dateTime),
    );
    refreshCsrfToken(req, res);
    const returnTo = takeReturn(req, res);
    res.redirect(result.user.must_change_password ? paths.account.password() : (returnTo ?? paths.home()));
  }

  router.post(paths.logout(), async (req, res) => {
    const user = res.locals.currentUser;
    if (user) await services.auth.logout(user.id, req.ip ?? null);
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE);
    res.redirect(paths.login());
  });

  return router;
}
