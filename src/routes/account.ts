import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { PROFILE_FIELDS, pickStrings } from '../domain/account';
import { passwordRuleText } from '../domain/securityPolicy';
import { ValidationFailed } from '../domain/errors';
import { currentUser } from '../middleware/currentUser';
import { flash } from '../middleware/flash';

export function setUpAccount(services: Services): Router {
  const router = express.Router();

  const renderProfile = async (res: express.Response, values?: Record<string, unknown>, errors = {}) => {
    const user = await services.accounts.load(currentUser(res).id);
    res.render('pages/account/profile', {
      title: '信息管理',
      user,
      values: values ?? Object.fromEntries(PROFILE_FIELDS.map((f) => [f, user[f] ?? ''])),
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

  return router;
}
