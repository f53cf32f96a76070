import type { Knex } from 'knex';
import { currentUserRepo, type CurrentUserRow } from '../data/currentUser';
import { usersRepo, type ExpiredSession } from '../data/users';
import { recordAudits } from '../data/audit';
import { isAdminRole, ROLE_LABELS, type AdminRole } from '../domain/roles';
import type { AgencyLevel } from '../domain/orgTree';

/** What every signed-in user has, whatever the role. */
interface SignedIn {
  id: number;
  username: string;
  name: string | null;
  mustChangePassword: boolean;
  /** A second factor is enrolled (双因素). */
  secondFactorEnabled: boolean;
  /** A second factor is required (role, 安全策略) and none is enrolled yet: enrolment comes first. */
  mustEnrolSecondFactor: boolean;
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
  ? Omit<
      U,
      | 'mustChangePassword'
      | 'secondFactorEnabled'
      | 'mustEnrolSecondFactor'
      | 'orgName'
      | 'agencyName'
      | 'agencyLevel'
      | 'enterpriseName'
      | 'ownerless'
    >
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
    secondFactorEnabled: Boolean(row.second_factor_enabled),
    // Known once 安全策略 is read: setUpCurrentUser (middleware/currentUser.ts) fills it in.
    mustEnrolSecondFactor: false,
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

  /**
   * Removes expired sessions (all, or the one `sid` a request brought) and records one
   * session.expired per signed-in session among them, in the same transaction: whichever comes
   * first, the request or the cleanup job, records it, and only once.
   */
  async function removeExpired(sid: string | undefined, address: string | null): Promise<ExpiredSession[]> {
    return knex.transaction(async (trx) => {
      const expired = await usersRepo(trx).removeExpiredSessions(sid);
      await recordAudits(
        trx,
        expired.map((e) => ({
          type: 'session.expired' as const,
          actorId: e.userId,
          address,
          result: 'success' as const,
          reason: e.idleMinutes === null ? '空闲超时' : `空闲超过 ${e.idleMinutes} 分钟`,
          detail: { expired_at: e.expiredAt.toISOString(), via: sid === undefined ? 'cleanup' : 'request' },
        })),
      );
      return expired;
    });
  }

  return {
    /** A request came with the session `sid`, which the store no longer serves: expired (or unknown). */
    sessionEnded: (sid: string, address: string | null) => removeExpired(sid, address),
    /** The cleanup job's pass (services.session.pruneExpiredEvery). */
    pruneExpired: () => removeExpired(undefined, null),
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
      const timer = setInterval(() => void removeExpired(undefined, null).catch(onError), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
