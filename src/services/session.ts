import type { Knex } from 'knex';
import { currentUserRepo, type CurrentUserRow } from '../data/currentUser';
import { usersRepo, type Role } from '../data/users';
import { ROLE_LABELS } from '../domain/roles';

export interface CurrentUser {
  id: number;
  username: string;
  role: Role;
  name: string | null;
  mustChangePassword: boolean;
  agencyId: number | null;
  agencyName: string | null;
  agencyLevel: string | null;
  enterpriseId: number | null;
  enterpriseName: string | null;
  ownerless: boolean;
  /** What the page frame shows beside the user's name. */
  orgName: string;
}

/** The signed-in user as the pages see it, from its row (data/currentUser.ts). */
export function currentUserOf(row: CurrentUserRow): CurrentUser {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    name: row.name,
    mustChangePassword: row.must_change_password,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    agencyLevel: row.agency_level,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    ownerless: Boolean(row.enterprise_ownerless),
    orgName: row.agency_name ?? row.enterprise_name ?? ROLE_LABELS[row.role],
  };
}

export function sessionService(knex: Knex) {
  const repo = currentUserRepo(knex);
  return {
    async currentUser(userId: number): Promise<CurrentUser | undefined> {
      const row = await repo.load(userId);
      return row && currentUserOf(row);
    },
    /**
     * Removes expired sessions every `everyMs` until the returned stop is called. The server's
     * job, not the session store's: the store's own timer outlives whoever created the app
     * (a test, a CLI) and then queries a pool that has been ended.
     */
    pruneExpiredEvery(everyMs: number, onError: (err: unknown) => void): () => void {
      const timer = setInterval(() => void usersRepo(knex).pruneExpiredSessions().catch(onError), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
