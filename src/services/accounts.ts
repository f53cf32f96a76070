import type { Knex } from 'knex';
import { PROFILE_FIELDS, validateProfile } from '../domain/account';
import { passwordPolicyErrors } from '../domain/passwordPolicy';
import { NotFound, ValidationFailed } from '../domain/errors';
import { usersRepo, type UserRow } from '../data/users';
import type { PasswordHasher } from './passwords';
import type { SecurityPolicyService } from './securityPolicy';
import { passwordExpired, reuseMessage, reuseWindow } from '../domain/passwordLifecycle';
import { recordAudit } from '../data/audit';

export interface PasswordChange {
  old_password: string;
  new_password: string;
  new_password_confirm: string;
}

/** 用户信息: the user's own account as the page shows it (never its password hash). */
export interface AccountProfile {
  id: number;
  username: string;
  lastLoginAt: Date | null;
  lastLoginAddress: string | null;
  /** The login before this one, and the wrong passwords between them. */
  previousLoginAt: Date | null;
  previousLoginAddress: string | null;
  failedBeforeLogin: number;
  /** The editable fields by form field code (domain/account PROFILE_FIELDS), '' when unset. */
  values: Record<(typeof PROFILE_FIELDS)[number], string>;
}

const accountProfile = (u: UserRow): AccountProfile => ({
  id: u.id,
  username: u.username,
  lastLoginAt: u.last_login_at,
  lastLoginAddress: u.last_login_address,
  previousLoginAt: u.previous_login_at,
  previousLoginAddress: u.previous_login_address,
  failedBeforeLogin: u.failed_before_login,
  values: Object.fromEntries(PROFILE_FIELDS.map((f) => [f, u[f] ?? ''])) as AccountProfile['values'],
});

export function accountService(
  knex: Knex,
  hasher: PasswordHasher,
  securityPolicy: SecurityPolicyService,
  now: () => Date,
) {
  const users = usersRepo(knex);
  async function load(userId: number): Promise<UserRow> {
    const user = await users.byId(userId);
    if (!user) throw new NotFound();
    return user;
  }
  /** Whether the password is the current one or one of the last few replaced (安全策略). */
  async function reusesRecentPassword(
    user: UserRow,
    password: string,
    historyCount: number,
  ): Promise<boolean> {
    const hashes = [
      user.password_hash,
      ...(await users.previousPasswordHashes(user.id, reuseWindow(historyCount))),
    ];
    for (const hash of hashes) if (await hasher.verify(password, hash)) return true;
    return false;
  }
  return {
    /** The user's own account, for 用户信息. */
    profile: async (userId: number): Promise<AccountProfile> => accountProfile(await load(userId)),
    /** Throws ValidationFailed with field errors and the typed values. */
    async updateProfile(userId: number, body: unknown): Promise<void> {
      const result = validateProfile(body);
      if (!result.ok || !result.data) throw new ValidationFailed(result.errors, result.values);
      await users.updateProfile(userId, result.data);
    },
    /**
     * Changes the password and ends the account's other sessions (`sessionId` stays signed in);
     * audited as password.forced_change when the account had to change it, else password.change.
     */
    async changePassword(
      userId: number,
      form: PasswordChange,
      sessionId: string,
      address: string | null,
    ): Promise<void> {
      const user = await load(userId);
      const errors: Record<string, string> = {};
      if (!form.old_password) errors.old_password = '请输入原密码';
      else if (!(await hasher.verify(form.old_password, user.password_hash)))
        errors.old_password = '原密码不正确';
      const { passwordMinLength, passwordHistory, passwordMaxAgeDays } = await securityPolicy.current();
      const policy = passwordPolicyErrors(form.new_password, {
        username: user.username,
        oldPassword: form.old_password,
        minLength: passwordMinLength,
      });
      if (!form.new_password) errors.new_password = '请输入新密码';
      else if (policy.length) errors.new_password = policy.join('；');
      else if (await reusesRecentPassword(user, form.new_password, passwordHistory))
        errors.new_password = reuseMessage(passwordHistory);
      if (form.new_password !== form.new_password_confirm)
        errors.new_password_confirm = '两次输入的新密码不一致';
      if (Object.keys(errors).length) throw new ValidationFailed(errors, {});
      const hash = await hasher.hash(form.new_password);
      const at = now();
      const forced = user.must_change_password;
      await knex.transaction(async (trx) => {
        const repo = usersRepo(trx);
        await repo.setPassword(userId, hash, at);
        await repo.endSessions(userId, sessionId);
        await recordAudit(trx, {
          type: forced ? 'password.forced_change' : 'password.change',
          actorId: userId,
          address,
          object: user.username,
          result: 'success',
          reason: forced
            ? passwordExpired(user.password_changed_at, passwordMaxAgeDays, at)
              ? '密码超过最长使用期限'
              : '初始密码或重置后的密码须修改'
            : null,
        });
      });
    },
  };
}
