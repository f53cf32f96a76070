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
import type { SecondFactorService } from './secondFactor';
import { secondFactorsRepo } from '../data/secondFactors';
import { SECOND_STEP_MINUTES, type SecondFactorMethod } from '../domain/secondFactor';

/** Signed in: the login is recorded (login.success). */
export interface LoginDone {
  ok: true;
  secondStep?: undefined;
  user: UserRow;
  previous: PreviousLogin;
  /** The second factor it was completed with (none: the password alone). */
  method?: SecondFactorMethod;
  /** After a recovery code: how many are left. */
  recoveryCodesLeft?: number;
}

/** The password was right and the account has a second factor: its code is asked for next. */
export interface LoginSecondStep {
  ok: true;
  secondStep: true;
  userId: number;
  username: string;
  /** When the password step passed (the code is awaited SECOND_STEP_MINUTES from then). */
  at: Date;
}

export interface LoginRefused {
  ok: false;
  message: string;
  /** The fields to mark invalid. */
  fields?: LoginField[];
  /** Set when the address must wait (HTTP 429 with Retry-After). */
  retryAfterSeconds?: number;
  /** The second step is over (paused, timed out, account gone): start again at the password. */
  restart?: boolean;
}

export type LoginResult = LoginDone | LoginSecondStep | LoginRefused;

/** The half-signed-in session's state: who typed a right password, and when. */
export interface SecondStepAttempt {
  userId: number;
  username: string;
  since: Date;
  code: string;
  address: string;
}

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
  secondFactor: SecondFactorService,
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

  /** The limiters and the refusal text of the policy in force. */
  async function limitsInForce() {
    const policy = await securityPolicy.current();
    const { lockMaxFailures: maxFailures, lockMinutes } = policy;
    return { policy, maxFailures, lockMinutes, limits: limitersFor(maxFailures, lockMinutes) };
  }

  /** 账号锁定, once, when the pause begins (the limiter's row is the change; see data/loginLimits.ts). */
  const recordLockBegins = (
    username: string,
    userId: number | null,
    address: string,
    why: string,
    thresholds: { maxFailures: number; lockMinutes: number },
  ) =>
    recordAudit(knex, {
      type: 'account.lock',
      actorId: userId,
      actorName: username.slice(0, 64),
      address,
      object: username.slice(0, 64),
      result: 'success',
      reason: `连续输错${why} ${thresholds.maxFailures} 次，暂停登录 ${thresholds.lockMinutes} 分钟`,
      detail: {
        max_failures: thresholds.maxFailures,
        lock_minutes: thresholds.lockMinutes,
        known: userId !== null,
      },
    });

  /**
   * The login completed at `at`, in the caller's transaction: recorded on the account and as
   * login.success (with the second factor's method, when one was used).
   */
  async function recordCompleted(
    trx: Knex.Transaction,
    user: UserRow,
    address: string,
    at: Date,
    expired: boolean,
    method?: SecondFactorMethod,
  ): Promise<void> {
    await usersRepo(trx).recordLogin(user.id, at, address, expired);
    await recordAudit(trx, {
      type: 'login.success',
      actorId: user.id,
      address,
      result: 'success',
      ...(method ? { detail: { second_factor: method } } : {}),
    });
  }

  /** What the route needs of a completed login; an expired password must be changed first. */
  const done = (user: UserRow, expired: boolean, method?: SecondFactorMethod): LoginDone => ({
    ok: true,
    user: { ...user, must_change_password: user.must_change_password || expired },
    previous: { at: user.last_login_at, address: user.last_login_address, failures: user.failed_since_login },
    method,
  });

  return {
    async login(attempt: LoginAttempt): Promise<LoginResult> {
      const { address } = attempt;
      const { policy, maxFailures, lockMinutes, limits } = await limitsInForce();
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
        // An unknown username is paused alike.
        if (pauseBegins)
          await recordLockBegins(username, user?.id ?? null, address, '密码', { maxFailures, lockMinutes });
        return { ok: false, message: failed };
      }
      // With a second factor the login is not complete yet, and the wrong passwords and codes in
      // a row are not forgotten: a right password never buys more guesses at the code.
      if ((await secondFactorsRepo(knex).of(user.id))?.enabled_at)
        return { ok: true, secondStep: true, userId: user.id, username: user.username, at: now() };
      await limits.passwordRight(username, address);
      // 安全策略's maximum age: an expired password must be changed before anything else.
      const at = now();
      const expired = passwordExpired(user.password_changed_at, policy.passwordMaxAgeDays, at);
      await knex.transaction((trx) => recordCompleted(trx, user, address, at, expired));
      return done(user, expired);
    },

    /**
     * The second step (/login/second-factor): a code of the authenticator app or a recovery code.
     * A wrong one is recorded (second_factor.failure) and counted like a wrong password by the
     * same limiter, so the username pauses after the same number of failures in a row; then, or
     * after SECOND_STEP_MINUTES, the login starts again at the password.
     */
    async secondStep(attempt: SecondStepAttempt): Promise<LoginDone | LoginRefused> {
      const { address, username } = attempt;
      const { policy, maxFailures, lockMinutes, limits } = await limitsInForce();
      const failed = `动态验证码或恢复码错误（连续输错 ${maxFailures} 次后须等待 ${lockMinutes} 分钟再试）`;
      const failure = (reason: string, userId: number | null) =>
        recordAudit(knex, {
          type: 'second_factor.failure',
          actorId: userId,
          actorName: username.slice(0, 64),
          address,
          object: username.slice(0, 64),
          result: 'failure',
          reason,
        });
      const at = now();
      if (at.getTime() - attempt.since.getTime() > SECOND_STEP_MINUTES * 60_000)
        return { ok: false, restart: true, message: `验证已超过 ${SECOND_STEP_MINUTES} 分钟，请重新登录` };
      const addressWait = await limits.addressWaitMs(address);
      if (addressWait > 0) {
        await failure(LOGIN_FAILURE_REASONS.addressLimited, attempt.userId);
        return {
          ok: false,
          message: `登录尝试过于频繁，请 ${waitText(addressWait)}后再试`,
          retryAfterSeconds: Math.ceil(addressWait / 1000),
        };
      }
      if (await limits.paused(username, address)) {
        await failure(LOGIN_FAILURE_REASONS.paused, attempt.userId);
        return { ok: false, restart: true, message: failed };
      }
      const found = await usersRepo(knex).byId(attempt.userId);
      const user = found && mayLogIn(found, config.env === 'production') ? found : undefined;
      if (!user || user.username !== username) return { ok: false, restart: true, message: '请重新登录' };
      const expired = passwordExpired(user.password_changed_at, policy.passwordMaxAgeDays, at);
      // The code (or recovery code) is spent in the transaction that records the login.
      const checked = await knex.transaction(async (trx) => {
        const c = await secondFactor.check(trx, user.id, attempt.code, at);
        if (c.ok) await recordCompleted(trx, user, address, at, expired, c.method);
        return c;
      });
      if (checked.ok) {
        await limits.passwordRight(username, address);
        const result = done(user, expired, checked.method);
        return checked.method === 'recovery_code'
          ? { ...result, recoveryCodesLeft: await secondFactor.recoveryCodesLeft(user.id) }
          : result;
      }
      if (checked.empty) return { ok: false, message: '请输入动态验证码或恢复码' };
      const pauseBegins = await limits.passwordWrong(username, address);
      await failure(checked.reason, user.id);
      if (pauseBegins) {
        await recordLockBegins(username, user.id, address, '密码或动态验证码', { maxFailures, lockMinutes });
        return { ok: false, restart: true, message: failed };
      }
      return { ok: false, message: failed };
    },
    /** 退出登录, recorded before the session ends. */
    logout: (userId: number, address: string | null) =>
      recordAudit(knex, { type: 'logout', actorId: userId, address, result: 'success' }),
  };
}
