import type { Knex } from 'knex';

export type Role = 'regulator' | 'enterprise' | 'admin';

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
  failed_logins: number;
  locked_until: Date | null;
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
    async recordFailure(id: number, maxFailures: number, lockMinutes: number): Promise<UserRow> {
      // One statement so that concurrent failures count correctly; the lock starts at the Nth.
      const [row] = await db('users')
        .where({ id })
        .update({
          failed_logins: db.raw('failed_logins + 1'),
          locked_until: db.raw(
            `CASE WHEN failed_logins + 1 >= ? THEN now() + make_interval(mins => ?) ELSE locked_until END`,
            [maxFailures, lockMinutes],
          ),
        })
        .returning('*');
      return row;
    },
    recordSuccess: (id: number) =>
      db('users').where({ id }).update({ failed_logins: 0, locked_until: null, last_login_at: db.fn.now() }),
    setPassword: (id: number, passwordHash: string) =>
      db('users').where({ id }).update({
        password_hash: passwordHash,
        must_change_password: false,
        password_changed_at: db.fn.now(),
      }),
    /** Lifts a lock-out and forgets the failed attempts. */
    unlock: (id: number) => db('users').where({ id }).update({ failed_logins: 0, locked_until: null }),
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

export function loginFailuresRepo(db: Knex | Knex.Transaction) {
  return {
    record: (address: string) => db('login_failures').insert({ address }),
    async countSince(address: string, minutes: number): Promise<number> {
      const row = await db('login_failures')
        .where({ address })
        .andWhere('at', '>', db.raw('now() - make_interval(mins => ?)', [minutes]))
        .count<{ count: number }>('* as count')
        .first();
      return Number(row?.count ?? 0);
    },
    clear: (address: string) => db('login_failures').where({ address }).delete(),
    purgeOlderThan: (minutes: number) =>
      db('login_failures')
        .where('at', '<', db.raw('now() - make_interval(mins => ?)', [minutes]))
        .delete(),
  };
}
