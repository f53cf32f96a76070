import type { Knex } from 'knex';
import type { Config } from '../config';
import { captchaMatches } from '../domain/captcha';
import { isLocked, mayLogIn } from '../domain/account';
import { loginFailuresRepo, usersRepo, type UserRow } from '../data/users';
import type { PasswordHasher } from './passwords';

export type LoginResult =
  { ok: true; user: UserRow } | { ok: false; message: string; field?: 'captcha' | 'username' | 'password' };

export interface LoginAttempt {
  username: string;
  password: string;
  captcha: string;
  expectedCaptcha: string | null | undefined;
  address: string;
}

const NEUTRAL = '用户名或密码错误';

function minutesUntil(date: Date): number {
  return Math.max(1, Math.ceil((date.getTime() - Date.now()) / 60000));
}

export function authService(knex: Knex, config: Config, hasher: PasswordHasher) {
  const { maxFailures, lockMinutes, addressLimit, addressWindowMinutes } = config.login;
  return {
    async login(attempt: LoginAttempt): Promise<LoginResult> {
      const failures = loginFailuresRepo(knex);
      if ((await failures.countSince(attempt.address, addressWindowMinutes)) >= addressLimit) {
        return { ok: false, message: `登录尝试过于频繁，请 ${addressWindowMinutes} 分钟后再试` };
      }
      if (!captchaMatches(attempt.expectedCaptcha, attempt.captcha)) {
        await failures.record(attempt.address);
        return { ok: false, message: '验证码错误，请重新输入', field: 'captcha' };
      }
      const users = usersRepo(knex);
      const found = attempt.username ? await users.byUsername(attempt.username.trim()) : undefined;
      // Demo accounts do not exist for a production login (domain mayLogIn).
      const user = found && mayLogIn(found, config.env === 'production') ? found : undefined;
      if (!user) {
        await hasher.verifyDummy(attempt.password);
        await failures.record(attempt.address);
        return { ok: false, message: NEUTRAL };
      }
      if (isLocked(user.locked_until)) {
        return {
          ok: false,
          message: `密码连续输错次数过多，账号已锁定，请 ${minutesUntil(user.locked_until)} 分钟后再试`,
        };
      }
      if (!(await hasher.verify(attempt.password, user.password_hash))) {
        await failures.record(attempt.address);
        const after = await users.recordFailure(user.id, maxFailures, lockMinutes);
        if (isLocked(after.locked_until)) {
          return {
            ok: false,
            message: `密码连续输错 ${maxFailures} 次，账号已锁定，请 ${minutesUntil(after.locked_until)} 分钟后再试`,
          };
        }
        return { ok: false, message: NEUTRAL };
      }
      await users.recordSuccess(user.id);
      return { ok: true, user };
    },
  };
}
