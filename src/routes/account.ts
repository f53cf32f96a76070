import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { pickStrings } from '../domain/account';
import { passwordRuleText } from '../domain/securityPolicy';
import { ValidationFailed } from '../domain/errors';
import { currentUser } from '../middleware/currentUser';
import { flash } from '../middleware/flash';

export function setUpAccount(services: Services): Router {
  const router = express.Router();

  const renderProfile = async (res: express.Response, values?: Record<string, unknown>, errors = {}) => {
    const user = await services.accounts.profile(currentUser(res).id);
    res.render('pages/account/profile', {
      title: '信息管理',
      user,
      secondFactor: await services.secondFactor.status(user.id),
      values: values ?? user.values,
      errors,
    });
  };

  router.get(paths.account.show(), async (_req, res) => renderProfile(res));

  router.post(paths.account.show(), async (req, res) => {
    try {
      await services.accounts.updateProfile(currentUser(res).id, req.body);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      res.status(422);
      return renderProfile(res, err.values, err.errors);
    }
    flash(req, 'success', '用户信息已保存');
    res.redirect(paths.account.show());
  });

  const renderPassword = async (res: express.Response, errors: Record<string, string> = {}) =>
    res.render('pages/account/password', {
      title: currentUser(res).mustChangePassword ? '请先修改密码' : '修改密码',
      forced: currentUser(res).mustChangePassword,
      policy: passwordRuleText(await services.securityPolicy.current()),
      errors,
    });

  router.get(paths.account.password(), async (_req, res) => renderPassword(res));

  router.post(paths.account.password(), async (req, res) => {
    const form = pickStrings(req.body, ['old_password', 'new_password', 'new_password_confirm']);
    try {
      await services.accounts.changePassword(
        currentUser(res).id,
        {
          old_password: form.old_password,
          new_password: form.new_password,
          new_password_confirm: form.new_password_confirm,
        },
        req.sessionID,
        req.ip ?? null,
      );
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      res.status(422);
      return renderPassword(res, { ...err.errors });
    }
    flash(req, 'success', '密码已修改');
    res.redirect(paths.home());
  });

  // 绑定双因素认证: required ones come here before anything else (middleware/currentUser.ts).
  const renderEnrolment = async (res: express.Response, error: string | null = null) => {
    const user = currentUser(res);
    res.render('pages/account/secondFactor', {
      title: '绑定双因素认证',
      forced: user.mustEnrolSecondFactor,
      enrolment: await services.secondFactor.enrolment(user),
      error,
    });
  };

  router.get(paths.account.secondFactor(), async (req, res) => {
    if (currentUser(res).secondFactorEnabled) {
      flash(req, 'info', '已绑定双因素认证。如需更换手机，请联系系统管理员重置。');
      return res.redirect(paths.account.show());
    }
    await renderEnrolment(res);
  });

  // The recovery codes are shown on this response alone (no-store) and kept only as hashes.
  router.post(paths.account.secondFactor(), async (req, res) => {
    let codes: string[];
    try {
      codes = await services.secondFactor.confirm(
        currentUser(res),
        pickStrings(req.body, ['code']).code,
        req.ip ?? null,
      );
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      res.status(422);
      return renderEnrolment(res, err.errors.code ?? err.userMessage);
    }
    res.set('Cache-Control', 'no-store');
    res.render('pages/account/recoveryCodes', { title: '双因素认证已绑定', codes });
  });

  return router;
}
