import type { Knex } from 'knex';
import type { Config } from '../config';
import { captchaMatches } from '../domain/captcha';
import { mayLogIn, missingLoginFields, missingLoginMessage, type LoginField } from '../domain/account';
import { recordAudit } from '../data/audit';
import { LOGIN_FAILURE_REASONS } from '../domain/audit';
import { usersRepo, type UserRow } from '../data/users';
import { loginLimiters, type LoginLimiters } from '../data/loginLimits';
import type { SecurityPolicyService } from './securityPolicy';
import { passwordExpired } from '../domain/passwordLifecycle';
import type { PasswordHasher } from './passwords';

export type LoginResult =
  | { ok: true; user: UserRow; previous: PreviousLogin }
  | {
      ok: false;
      message: string;
      /** The fields to mark invalid. */
      fields?: LoginField[];
      /** Set when the address must wait (HTTP 429 with Retry-After). */
      retryAfterSeconds?: number;
    };

/** The login before this one (null: none) and the wrong passwords since it. */
export interface PreviousLogin {
  at: Date | null;
  address: string | null;
  failures: number;
}

export interface LoginAttempt {
  username: string;
  password: string;
  captcha: string;
  expectedCaptcha: string | null | undefined;
  address: string;
}

/** "N 分钟" up to an hour, whole hours beyond. */
function waitText(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60000));
  return minutes <= 60 ? `${minutes} 分钟` : `${Math.ceil(minutes / 60)} 小时`;
}

/**
 * The login, after rate-limiter-flexible's recipe (data/loginLimits.ts). Whether a username
 * exists never shows: an unknown one is counted and paused exactly like an existing one, gets
 * the same message and status, and costs the same bcrypt work (verifyDummy). A paused username
 * is not told so — not even when its password is right — and gets the one failure message,
 * which states the rule; see the README (Accounts) for why.
 */
export function authService(
  knex: Knex,
  config: Config,
  hasher: PasswordHasher,
  securityPolicy: SecurityPolicyService,
  now: () => Date,
) {
  // The lock-out thresholds are 安全策略's (config.login's until it is saved): one set of limiters
  // per thresholds in force (they change seldom; each set is kept, as the library's sweep is a timer).
  const limiterSets = new Map<string, LoginLimiters>();
  function limitersFor(maxFailures: number, lockMinutes: number): LoginLimiters {
    const key = `${maxFailures}:${lockMinutes}`;
    let set = limiterSets.get(key);
    if (!set) {
      set = loginLimiters(knex, { ...config.login, maxFailures, lockMinutes });
      limiterSets.set(key, set);
    }
    return set;
  }

  return {
    async login(attempt: LoginAttempt): Promise<LoginResult> {
      const { address } = attempt;
      const policy = await securityPolicy.current();
      const { lockMaxFailures: maxFailures, lockMinutes } = policy;
      const limits = limitersFor(maxFailures, lockMinutes);
      const failed = `用户名或密码错误（同一用户名连续输错 ${maxFailures} 次后须等待 ${lockMinutes} 分钟再试）`;
      const username = attempt.username.trim();
      // The log says why a login failed; the user is only ever told the neutral message.
      const failure = (reason: string, actorId: number | null = null) =>
        recordAudit(knex, {
          type: 'login.failure',
          actorId,
          actorName: username.slice(0, 64),
          address,
          object: username.slice(0, 64),
          result: 'failure',
          reason,
        });
      const addressWait = await limits.addressWaitMs(address);
      if (addressWait > 0) {
        await failure(LOGIN_FAILURE_REASONS.addressLimited);
        return {
          ok: false,
          message: `登录尝试过于频繁，请 ${waitText(addressWait)}后再试`,
          retryAfterSeconds: Math.ceil(addressWait / 1000),
        };
      }
      // Nothing tried, nothing counted: the form says what is missing.
      const missing = missingLoginFields(attempt);
      if (missing.length) return { ok: false, message: missingLoginMessage(missing), fields: missing };
      if (!captchaMatches(attempt.expectedCaptcha, attempt.captcha)) {
        await limits.captchaWrong(address); // cheap, and never against the username
        await failure(LOGIN_FAILURE_REASONS.badCaptcha);
        return { ok: false, message: '验证码错误，请重新输入', fields: ['captcha'] };
      }
      // Paused: no lookup and no password check, for an unknown name as for an existing one.
      if (await limits.paused(username, address)) {
        await failure(LOGIN_FAILURE_REASONS.paused);
        return { ok: false, message: failed };
      }
      const found = username ? await usersRepo(knex).byUsername(username) : undefined;
      // Demo accounts do not exist for a production login (domain mayLogIn).
      const user = found && mayLogIn(found, config.env === 'production') ? found : undefined;
      const right = user
        ? await hasher.verify(attempt.password, user.password_hash)
        : await hasher.verifyDummy(attempt.password);
      if (!user || !right) {
        const pauseBegins = await limits.passwordWrong(username, address);
        if (user) await usersRepo(knex).countFailedLogin(user.username); // told at the next login
        await failure(
          user ? LOGIN_FAILURE_REASONS.badPassword : LOGIN_FAILURE_REASONS.unknownUser,
          user?.id ?? null,
        );
        // 账号锁定, once, when the pause begins (the limiter's row is the change; it lives outside
        // any transaction, see data/loginLimits.ts). An unknown username is paused alike.
        if (pauseBegins)
          await recordAudit(knex, {
            type: 'account.lock',
            actorId: user?.id ?? null,
            actorName: username.slice(0, 64),
            address,
            object: username.slice(0, 64),
            result: 'success',
            reason: `连续输错密码 ${maxFailures} 次，暂停登录 ${lockMinutes} 分钟`,
            detail: { max_failures: maxFailures, lock_minutes: lockMinutes, known: Boolean(user) },
          });
        return { ok: false, message: failed };
      }
      await limits.passwordRight(username, address);
      // 安全策略's maximum age: an expired password must be changed before anything else.
      const at = now();
      const expired = passwordExpired(user.password_changed_at, policy.passwordMaxAgeDays, at);
      await knex.transaction(async (trx) => {
        await usersRepo(trx).recordLogin(user.id, at, address, expired);
        await recordAudit(trx, { type: 'login.success', actorId: user.id, address, result: 'success' });
      });
      return {
        ok: true,
        user: { ...user, must_change_password: user.must_change_password || expired },
        previous: {
          at: user.last_login_at,
          address: user.last_login_address,
          failures: user.failed_since_login,
        },
      };
    },
    /** 退出登录, recorded before the session ends. */
    logout: (userId: number, address: string | null) =>
      recordAudit(knex, { type: 'logout', actorId: userId, address, result: 'success' }),
  };
}
