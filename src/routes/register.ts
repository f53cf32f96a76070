import express, { type Response, type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { OFFSHORE_OPERATOR, registrationSections } from '../domain/enterprise';
import { BadRequest, ValidationFailed } from '../domain/errors';
import { ensureCsrfToken, refreshCsrfToken } from '../middleware/csrf';
import { flash } from '../middleware/flash';
import { regenerateSession } from '../middleware/webSession';
import { formView } from './viewModels/systemForm';
import { formBody, isRefresh } from './forms';

const CODE = /^\d{6}$/;
// The policy of domain/passwordPolicy.ts as it applies to a first password.
const REGISTRATION_PASSWORD_HELP = '密码至少 8 位，须同时包含字母和数字，不能与用户名相同。';

// 企业注册 (public): the enterprise and its first user, then logged in at once.
export function setUpRegister(services: Services): Router {
  const router = express.Router();
  const { registration } = services;

  async function render(
    res: Response,
    status: number,
    values: Record<string, unknown>,
    errors: Record<string, string> = {},
  ): Promise<void> {
    const options = await registration.formOptions(Object.keys(values).length ? values : null);
    const view = formView(registrationSections, {
      values,
      errors,
      ...options,
      checkboxes: ['ownerless', OFFSHORE_OPERATOR],
      help: { password: REGISTRATION_PASSWORD_HELP },
      extraLabels: { captcha: '验证码' },
    });
    const user = res.locals.currentUser;
    ensureCsrfToken(res.req, res);
    res.status(status).render('pages/register/form', {
      title: '企业注册',
      view,
      captchaError: errors.captcha ?? null,
      signedInAs: user ? { regulator: user.role === 'regulator', org: user.orgName } : null,
      pageScripts: ['filing.js'],
    });
  }

  router.get(paths.register(), async (_req, res) => render(res, 200, {}));

  router.post(paths.register(), async (req, res) => {
    const body = formBody(req);
    if (isRefresh(body)) return render(res, 200, body);
    const expectedCaptcha = req.session.captcha;
    delete req.session.captcha; // single use, whatever the outcome
    const signedIn = res.locals.currentUser;
    let userId: number;
    try {
      ({ userId } = await registration.register(body, {
        expectedCaptcha,
        registeredByAgencyId: signedIn?.role === 'regulator' ? signedIn.agencyId : null,
        actorId: signedIn?.role === 'regulator' ? signedIn.id : null,
        address: req.ip ?? null,
      }));
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      return render(res, 422, { ...err.values }, { ...err.errors });
    }
    await regenerateSession(req); // no session fixation; a regulator registering a pond is signed out
    req.session.userId = userId;
    refreshCsrfToken(req, res);
    flash(req, 'success', '注册成功，已为您登录。请新建生产系统开始填报。');
    res.redirect(paths.enterprise.home());
  });

  // Lists for the JavaScript that narrows the selects (public reference data).
  router.get(paths.registerRegions(), async (req, res) => {
    const { parent, level } = req.query;
    if (typeof parent !== 'string' || !CODE.test(parent) || (level !== 'city' && level !== 'county'))
      throw new BadRequest();
    res
      .set('Cache-Control', 'private, max-age=600')
      .json({ options: await registration.regionOptions(parent, level) });
  });

  router.get(paths.registerAgencies(), async (req, res) => {
    // An offshore operator's list does not depend on the region, which may still be empty.
    const { region } = req.query;
    const offshore = req.query.offshore === '1';
    if (typeof region !== 'string' || !(CODE.test(region) || (offshore && region === '')))
      throw new BadRequest();
    res
      .set('Cache-Control', 'private, max-age=600')
      .json({ groups: await registration.agencyOptions(region, offshore) });
  });

  return router;
}
