import type { Knex } from 'knex';
import { validateProfile } from '../domain/account';
import { passwordPolicyErrors } from '../domain/passwordPolicy';
import { NotFound, ValidationFailed } from '../domain/errors';
import { usersRepo, type UserRow } from '../data/users';
import type { PasswordHasher } from './passwords';

export interface PasswordChange {
  old_password: string;
  new_password: string;
  new_password_confirm: string;
}

export function accountService(knex: Knex, hasher: PasswordHasher) {
  const users = usersRepo(knex);
  async function load(userId: number): Promise<UserRow> {
    const user = await users.byId(userId);
    if (!user) throw new NotFound();
    return user;
  }
  return {
    load,
    /** Throws ValidationFailed with field errors and the typed values. */
    async updateProfile(userId: number, body: unknown): Promise<void> {
      const result = validateProfile(body);
      if (!result.ok || !result.data) throw new ValidationFailed(result.errors, result.values);
      await users.updateProfile(userId, result.data);
    },
    /** Changes the password and ends the account's other sessions (`sessionId` stays signed in). */
    async changePassword(userId: number, form: PasswordChange, sessionId: string): Promise<void> {
      const user = await load(userId);
      const errors: Record<string, string> = {};
      if (!form.old_password) errors.old_password = '请输入原密码';
      else if (!(await hasher.verify(form.old_password, user.password_hash)))
        errors.old_password = '原密码不正确';
      const policy = passwordPolicyErrors(form.new_password, {
        username: user.username,
        oldPassword: form.old_password,
      });
      if (!form.new_password) errors.new_password = '请输入新密码';
      else if (policy.length) errors.new_password = policy.join('；');
      if (form.new_password !== form.new_password_confirm)
        errors.new_password_confirm = '两次输入的新密码不一致';
      if (Object.keys(errors).length) throw new ValidationFailed(errors, {});
      const hash = await hasher.hash(form.new_password);
      await knex.transaction(async (trx) => {
        const repo = usersRepo(trx);
        await repo.setPassword(userId, hash);
        await repo.endSessions(userId, sessionId);
      });
    },
  };
}
