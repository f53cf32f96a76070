import type { Knex } from 'knex';
import { currentUserRepo, type CurrentUserRow } from '../data/currentUser';
import { usersRepo } from '../data/users';
import { isAdminRole, ROLE_LABELS, type AdminRole } from '../domain/roles';
import type { AgencyLevel } from '../domain/orgTree';

/** What every signed-in user has, whatever the role. */
interface SignedIn {
  id: number;
  username: string;
  name: string | null;
  mustChangePassword: boolean;
  /** What the page frame shows beside the user's name. */
  orgName: string;
}

/** A reviewer of one agency (the database guarantees the agency: users_role_check). */
export interface RegulatorUser extends SignedIn {
  role: 'regulator';
  agencyId: number;
  agencyName: string;
  agencyLevel: AgencyLevel;
}

/** The account of one enterprise. */
export interface EnterpriseUser extends SignedIn {
  role: 'enterprise';
  enterpriseId: number;
  enterpriseName: string;
  ownerless: boolean;
}

/** 系统管理员, 安全管理员, 审计管理员: no agency, no enterprise. */
export interface AdminUser extends SignedIn {
  role: AdminRole;
}

/** The signed-in user, by role: a regulator always has its agency, an enterprise its enterprise. */
export type CurrentUser = RegulatorUser | EnterpriseUser | AdminUser;

type Actor<U> = U extends SignedIn
  ? Omit<U, 'mustChangePassword' | 'orgName' | 'agencyName' | 'agencyLevel' | 'enterpriseName' | 'ownerless'>
  : never;

/** Who acts: the signed-in user as the workflow, the history and the rules see them. */
export type ActingUser = Actor<CurrentUser>;

/** The user as its row reads, by role (the row's nulls are the role's absences). */
export function currentUserOf(row: CurrentUserRow): CurrentUser {
  const base = {
    id: row.id,
    username: row.username,
    name: row.name,
    mustChangePassword: row.must_change_password,
  };
  if (row.role === 'regulator' && row.agency_id !== null)
    return {
      ...base,
      role: 'regulator',
      agencyId: row.agency_id,
      agencyName: row.agency_name ?? '',
      agencyLevel: row.agency_level as AgencyLevel,
      orgName: row.agency_name ?? ROLE_LABELS.regulator,
    };
  if (row.role === 'enterprise' && row.enterprise_id !== null)
    return {
      ...base,
      role: 'enterprise',
      enterpriseId: row.enterprise_id,
      enterpriseName: row.enterprise_name ?? '',
      ownerless: Boolean(row.enterprise_ownerless),
      orgName: row.enterprise_name ?? ROLE_LABELS.enterprise,
    };
  if (isAdminRole(row.role)) return { ...base, role: row.role, orgName: ROLE_LABELS[row.role] };
  throw new Error(`user ${row.id}: role ${row.role} without its organisation`);
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
