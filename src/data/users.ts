import type { Knex } from 'knex';
import { loginLimitsRepo } from './loginLimits';

import type { Role } from '../domain/roles';

export type { Role };

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  agency_id: number | null;
  enterprise_id: number | null;
  name: string | null;
  position: string | null;
  office_phone: string | null;
  mobile: string | null;
  email: string | null;
  must_change_password: boolean;
  last_login_at: Date | null;
  /** A demo account (published password): refused at login in production. */
  is_demo: boolean;
}

export interface ProfileFields {
  name: string | null;
  position: string | null;
  office_phone: string | null;
  mobile: string | null;
  email: string | null;
}

export interface NewUser {
  username: string;
  password_hash: string;
  role: Role;
  agency_id?: number | null;
  enterprise_id?: number | null;
  name?: string | null;
  must_change_password: boolean;
  is_demo?: boolean;
}

export function usersRepo(db: Knex | Knex.Transaction) {
  return {
    byId: (id: number): Promise<UserRow | undefined> => db<UserRow>('users').where({ id }).first(),
    byUsername: (username: string): Promise<UserRow | undefined> =>
      db<UserRow>('users').where({ username }).first(),
    async insert(user: NewUser): Promise<number> {
      const [row] = await db('users').insert(user).returning('id');
      return row.id;
    },
    recordLogin: (id: number) => db('users').where({ id }).update({ last_login_at: db.fn.now() }),
    setPassword: (id: number, passwordHash: string) =>
      db('users').where({ id }).update({
        password_hash: passwordHash,
        must_change_password: false,
        password_changed_at: db.fn.now(),
      }),
    /** Lifts the account's login pauses and forgets its wrong passwords (the limiters key by username). */
    async unlock(id: number): Promise<void> {
      const user = await db<UserRow>('users').where({ id }).first('username');
      if (user) await loginLimitsRepo(db).forgetUsername(user.username);
    },
    /** A new initial password (changed at the next login), the lock lifted, every session ended. */
    async resetPassword(id: number, passwordHash: string): Promise<void> {
      await db('users').where({ id }).update({
        password_hash: passwordHash,
        must_change_password: true,
        password_changed_at: db.fn.now(),
      });
      await usersRepo(db).unlock(id);
      await usersRepo(db).endSessions(id);
    },
    /** Signs the account out everywhere, but for the session `keepSid` (the one acting). */
    endSessions: (id: number, keepSid: string | null = null) =>
      db('session')
        .whereRaw(`(sess->>'userId')::int = ?`, [id])
        .modify((q) => (keepSid === null ? q : q.whereNot('sid', keepSid)))
        .del(),
    updateProfile: (id: number, fields: ProfileFields) => db('users').where({ id }).update(fields),
    /** Agencies with a real account (a demo account is not the agency's account). */
    agencyIdsWithAccounts: async (): Promise<Set<number>> =>
      new Set(
        (await db('users').whereNotNull('agency_id').where({ is_demo: false }).distinct('agency_id')).map(
          (r) => r.agency_id as number,
        ),
      ),
    markDemo: (id: number) => db('users').where({ id }).update({ is_demo: true }),
  };
}
