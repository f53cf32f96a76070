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
  });

  router.post(paths.logout(), async (req, res) => {
    const user = res.locals.currentUser;
    if (user) await services.auth.logout(user.id, req.ip ?? null);
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE);
    res.redirect(paths.login());
  });

  return router;
}
