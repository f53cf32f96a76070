import type { Knex } from 'knex';
import { loginLimitsRepo } from './loginLimits';

import { ADMIN_ROLES, type AdminRole, type Role } from '../domain/roles';

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
  password_changed_at: Date | null;
  last_login_address: string | null;
  /** The login before the last one, and the wrong passwords between them (shown to the user). */
  previous_login_at: Date | null;
  previous_login_address: string | null;
  failed_before_login: number;
  /** Wrong passwords since the last successful login. */
  failed_since_login: number;
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

/** A signed-in session removed after its idle timeout. */
export interface ExpiredSession {
  userId: number;
  expiredAt: Date;
  /** The idle timeout it had (its cookie's max age), when known. */
  idleMinutes: number | null;
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
    /**
     * Inserts the accounts whose username is still free (a concurrent run may have taken one),
     * 500 a statement; returns the usernames inserted here.
     */
    async insertUnlessTaken(users: NewUser[]): Promise<Set<string>> {
      const inserted = new Set<string>();
      for (let i = 0; i < users.length; i += 500) {
        const rows: { username: string }[] = await db('users')
          .insert(users.slice(i, i + 500))
          .onConflict('username')
          .ignore()
          .returning('username');
        for (const r of rows) inserted.add(r.username);
      }
      return inserted;
    },
    /** The administrator roles (三员) that already have a real (non-demo) account. */
    async adminRolesTaken(): Promise<Set<AdminRole>> {
      const rows: { role: AdminRole }[] = await db('users')
        .whereIn('role', ADMIN_ROLES)
        .where({ is_demo: false })
        .distinct('role');
      return new Set(rows.map((r) => r.role));
    },
    /**
     * A successful login at `at` from `address`: the login before it becomes the "previous" one
     * the user is shown, with the wrong passwords counted since; `forceChange` (an expired
     * password) makes the next page the password change.
     */
    recordLogin: (id: number, at: Date, address: string, forceChange: boolean) =>
      db('users')
        .where({ id })
        .update({
          previous_login_at: db.ref('last_login_at'),
          previous_login_address: db.ref('last_login_address'),
          failed_before_login: db.ref('failed_since_login'),
          failed_since_login: 0,
          last_login_at: at,
          last_login_address: address.slice(0, 64),
          ...(forceChange ? { must_change_password: true } : {}),
        }),
    /** A wrong password for an existing account (told to its user at the next login). */
    countFailedLogin: (username: string) =>
      db('users').where({ username }).increment('failed_since_login', 1),
    /** The new password in force at `at`; the old one joins the history (no reuse, 安全策略). */
    async setPassword(id: number, passwordHash: string, at: Date = new Date()): Promise<void> {
      await db.raw(
        'INSERT INTO password_history (user_id, password_hash, replaced_at) SELECT id, password_hash, ? FROM users WHERE id = ?',
        [at, id],
      );
      await db('users').where({ id }).update({
        password_hash: passwordHash,
        must_change_password: false,
        password_changed_at: at,
      });
    },
    /** The hashes of the account's `n` most recently replaced passwords. */
    previousPasswordHashes: async (id: number, n: number): Promise<string[]> =>
      n <= 0
        ? []
        : (
            await db('password_history')
              .where({ user_id: id })
              .orderBy('id', 'desc')
              .limit(n)
              .select('password_hash')
          ).map((r) => r.password_hash as string),
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
    /**
     * Removes the sessions whose idle expiry has passed (the store no longer serves them anyway),
     * or only the one `sid`; returns those that were signed in (their users' session.expired).
     */
    async removeExpiredSessions(sid?: string): Promise<ExpiredSession[]> {
      const rows: { sess: Record<string, unknown> | string; expire: Date }[] = await db('session')
        .where('expire', '<', db.fn.now())
        .modify((q) => (sid === undefined ? q : q.where({ sid })))
        .del()
        .returning(['sess', 'expire']);
      return rows.flatMap((r) => {
        const sess = (typeof r.sess === 'string' ? JSON.parse(r.sess) : r.sess) as {
          userId?: unknown;
          cookie?: { originalMaxAge?: unknown };
        };
        if (typeof sess.userId !== 'number') return [];
        const maxAge = sess.cookie?.originalMaxAge;
        return [
          {
            userId: sess.userId,
            expiredAt: new Date(r.expire),
            idleMinutes: typeof maxAge === 'number' ? Math.round(maxAge / 60_000) : null,
          },
        ];
      });
    },
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
