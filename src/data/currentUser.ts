import type { Knex } from 'knex';
import type pg from 'pg';
import type { Role } from './users';

export interface CurrentUserRow {
  id: number;
  username: string;
  role: Role;
  name: string | null;
  must_change_password: boolean;
  agency_id: number | null;
  agency_name: string | null;
  agency_level: string | null;
  enterprise_id: number | null;
  enterprise_name: string | null;
  enterprise_ownerless: boolean | null;
  /** A second factor is enrolled (双因素: enabled, not merely begun). */
  second_factor_enabled: boolean;
}

const SECOND_FACTOR_ENABLED = `EXISTS (SELECT 1 FROM second_factors sf
  WHERE sf.user_id = u.id AND sf.enabled_at IS NOT NULL) AS second_factor_enabled`;

const COLUMNS = `u.id, u.username, u.role, u.name, u.must_change_password, u.agency_id,
  a.name AS agency_name, a.level AS agency_level, u.enterprise_id, e.name AS enterprise_name,
  e.ownerless AS enterprise_ownerless, ${SECOND_FACTOR_ENABLED}`;

export interface SessionWithUser {
  sess: Record<string, unknown>;
  /** The user the session is signed in as (null: none, or no longer there). */
  user: CurrentUserRow | null;
}

/**
 * An unexpired session and the user it is signed in as, in one statement: every signed-in
 * request needs both, and they are one round trip and one plan instead of two.
 */
export async function loadSessionWithUser(pool: pg.Pool, sid: string): Promise<SessionWithUser | undefined> {
  const { rows } = await pool.query({
    name: 'session_with_user',
    text: `SELECT s.sess, ${COLUMNS}
      FROM session s
      LEFT JOIN users u ON u.id = CASE WHEN (s.sess->>'userId') ~ '^[0-9]{1,9}$' THEN (s.sess->>'userId')::integer END
      LEFT JOIN agencies a ON a.id = u.agency_id
      LEFT JOIN enterprises e ON e.id = u.enterprise_id
      WHERE s.sid = $1 AND s.expire >= now()`,
    values: [sid],
  });
  const row = rows[0] as (CurrentUserRow & { sess: Record<string, unknown> | string }) | undefined;
  if (!row) return undefined;
  const { sess, ...user } = row;
  return { sess: typeof sess === 'string' ? JSON.parse(sess) : sess, user: user.id === null ? null : user };
}

/** The signed-in user with the names the page frame shows, in one query. */
export function currentUserRepo(db: Knex) {
  return {
    load: (userId: number): Promise<CurrentUserRow | undefined> =>
      db('users as u')
        .leftJoin('agencies as a', 'a.id', 'u.agency_id')
        .leftJoin('enterprises as e', 'e.id', 'u.enterprise_id')
        .where('u.id', userId)
        .first(
          'u.id',
          'u.username',
          'u.role',
          'u.name',
          'u.must_change_password',
          'u.agency_id',
          'a.name as agency_name',
          'a.level as agency_level',
          'u.enterprise_id',
          'e.name as enterprise_name',
          'e.ownerless as enterprise_ownerless',
          db.raw(SECOND_FACTOR_ENABLED),
        ),
  };
}
