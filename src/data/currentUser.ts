import type { Knex } from 'knex';
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
        ),
  };
}
