import type { Knex } from 'knex';
import type { Role } from './users';
import { containsPattern } from './textSearch';

/** 账号管理: every account with the agency or enterprise it belongs to. */
export interface AccountListRow {
  id: number;
  username: string;
  name: string | null;
  role: Role;
  org_name: string | null;
  must_change_password: boolean;
  last_login_at: Date | null;
  /** 双因素 enrolled (a waiting, unconfirmed enrolment is not). */
  second_factor_enabled: boolean;
}

export interface AccountFilter {
  role?: Role;
  /** Part of the username, the person's name, or the agency's or enterprise's name. */
  q?: string;
}

export function accountsRepo(db: Knex | Knex.Transaction) {
  function filtered(f: AccountFilter): Knex.QueryBuilder {
    const q = db('users as u')
      .leftJoin('agencies as a', 'a.id', 'u.agency_id')
      .leftJoin('enterprises as e', 'e.id', 'u.enterprise_id');
    if (f.role) q.where('u.role', f.role);
    if (f.q) {
      const pattern = containsPattern(f.q.toLowerCase());
      q.where((w) =>
        w
          .whereRaw('lower(u.username) LIKE ?', [pattern])
          .orWhereRaw(`lower(coalesce(u.name, '')) LIKE ?`, [pattern])
          .orWhereRaw(`lower(coalesce(a.name, e.name, '')) LIKE ?`, [pattern]),
      );
    }
    return q;
  }

  return {
    count: async (f: AccountFilter): Promise<number> =>
      Number((await filtered(f).count<{ n: number }>({ n: '*' }).first())?.n ?? 0),

    page: (f: AccountFilter, limit: number, offset: number): Promise<AccountListRow[]> =>
      filtered(f)
        .select(
          'u.id',
          'u.username',
          'u.name',
          'u.role',
          db.raw('coalesce(a.name, e.name) AS org_name'),
          'u.must_change_password',
          'u.last_login_at',
          db.raw(
            'EXISTS (SELECT 1 FROM second_factors sf WHERE sf.user_id = u.id AND sf.enabled_at IS NOT NULL) AS second_factor_enabled',
          ),
        )
        .orderBy('u.username')
        .limit(limit)
        .offset(offset),
  };
}
