import type { Knex } from 'knex';
import { orgRepo, type AgencyRow } from '../data/org';
import { usersRepo } from '../data/users';
import { secondFactorsRepo } from '../data/secondFactors';
import { Conflict } from '../domain/errors';
import type { AgencyLevel } from '../domain/orgTree';
import { ADMIN_ROLES, ROLE_LABELS, type AdminRole } from '../domain/roles';
import { type PasswordHasher, randomPassword } from './passwords';
import { recordAudit, recordAudits } from '../data/audit';
import type { AuditActor, AuditEventType } from '../domain/audit';

export interface IssuedAccount {
  agency_code: string;
  agency_name: string;
  level: AgencyLevel;
  username: string;
  initial_password: string;
}

/** One of the three administrators' accounts, as `accounts:issue --admins` writes it. */
export interface IssuedAdmin {
  role: AdminRole;
  role_name: string;
  username: string;
  initial_password: string;
}

/** The administrators' usernames are their roles' (the migrated `admin` stays the sysadmin). */
export const adminUsername = (role: AdminRole): string => role;

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV of issued accounts, with a byte-order mark so that Excel opens the Chinese names. */
export function issuedCsv<T extends object>(columns: (keyof T & string)[], rows: T[]): string {
  const line = (cells: unknown[]) => cells.map((c) => csvCell(String(c))).join(',');
  return '\uFEFF' + [line(columns), ...rows.map((r) => line(columns.map((c) => r[c])))].join('\r\n') + '\r\n';
}

export const ISSUED_COLUMNS: (keyof IssuedAccount)[] = [
  'agency_code',
  'agency_name',
  'level',
  'username',
  'initial_password',
];
export const ISSUED_ADMIN_COLUMNS: (keyof IssuedAdmin)[] = [
  'role',
  'role_name',
  'username',
  'initial_password',
];

/** `aj` + the agency code: aj330106, aj000000, aj_hyab_cnooc_tj. */
export function regulatorUsername(agencyCode: string): string {
  return `aj${/^\d/.test(agencyCode) ? '' : '_'}${agencyCode.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export function accountIssuanceService(knex: Knex, hasher: PasswordHasher) {
  /** A change to an account and its audit row (object: the username) in one transaction. */
  const changeAudited = (
    user: { id: number; username: string },
    actor: AuditActor,
    via: 'page' | 'cli',
    type: AuditEventType,
    change: (trx: Knex.Transaction) => Promise<unknown>,
  ): Promise<void> =>
    knex.transaction(async (trx) => {
      await change(trx);
      await recordAudit(trx, {
        ...actor,
        type,
        object: user.username,
        result: 'success',
        detail: { via, user_id: user.id },
      });
    });

  /** `resetPassword` for an account already looked up (账号管理), audited as `actor`'s. */
  async function resetPasswordOf(
    user: { id: number; username: string },
    actor: AuditActor,
    via: 'page' | 'cli',
  ): Promise<string> {
    const initial = randomPassword();
    const hash = await hasher.hash(initial);
    await changeAudited(user, actor, via, 'password.reset', (trx) =>
      usersRepo(trx).resetPassword(user.id, hash),
    );
    return initial;
  }

  /**
   * 重置双因素 (a lost phone): the secret and recovery codes removed, every signed-in session of
   * the account ended and second_factor.reset recorded, in one transaction; the user enrols
   * again at the next login. Conflict when there was none (nothing recorded).
   */
  const resetSecondFactorOf = (
    user: { id: number; username: string },
    actor: AuditActor,
    via: 'page' | 'cli',
  ) =>
    changeAudited(user, actor, via, 'second_factor.reset', async (trx) => {
      if (!(await secondFactorsRepo(trx).remove(user.id))) throw new Conflict('该账号未绑定双因素认证');
      await usersRepo(trx).endSessions(user.id);
    });

  /** One account.issue row per account issued (never its password). */
  const issuedEvents = (actor: AuditActor, via: 'page' | 'cli', accounts: Record<string, unknown>[]) =>
    accounts.map(({ username, ...detail }) => ({
      ...actor,
      type: 'account.issue' as const,
      object: String(username),
      result: 'success' as const,
      detail: { via, ...detail },
    }));

  return {
    /**
     * One account per agency in scope that has none yet (re-running issues nothing twice).
     * Returns the new accounts with their initial passwords, for the CSV only.
     */
    async issueRegulatorAccounts(
      scope: {
        level?: AgencyLevel;
        regionCode?: string;
      },
      actor: AuditActor,
      via: 'page' | 'cli',
    ): Promise<IssuedAccount[]> {
      const org = orgRepo(knex);
      let root: AgencyRow | undefined = await org.agencyByCode('000000');
      if (scope.regionCode) root = await org.agencyByCode(scope.regionCode);
      if (!root) throw new Error(`未找到行政区划或单位代码 ${scope.regionCode ?? '000000'}`);
      const agencies = await org.subtree(root, scope.level ? [scope.level] : undefined);
      const existing = await usersRepo(knex).agencyIdsWithAccounts();
      const todo = agencies.filter((a) => !existing.has(a.id));
      // Hash in parallel (bcrypt runs on libuv's thread pool), insert in one transaction.
      const prepared = await inBatches(todo, 8, async (agency) => {
        const initial = randomPassword();
        return { agency, initial, hash: await hasher.hash(initial) };
      });
      // Only the accounts inserted here are issued (a concurrent run may have taken a username).
      const inserted = await knex.transaction(async (trx) => {
        const added = await usersRepo(trx).insertUnlessTaken(
          prepared.map((p) => ({
            username: regulatorUsername(p.agency.code),
            password_hash: p.hash,
            role: 'regulator',
            agency_id: p.agency.id,
            must_change_password: true,
          })),
        );
        const issued = prepared.filter((p) => added.has(regulatorUsername(p.agency.code)));
        await recordAudits(
          trx,
          issuedEvents(
            actor,
            via,
            issued.map((p) => ({
              username: regulatorUsername(p.agency.code),
              role: 'regulator',
              agency_code: p.agency.code,
              agency_name: p.agency.name,
            })),
          ),
        );
        return added;
      });
      return prepared
        .filter((p) => inserted.has(regulatorUsername(p.agency.code)))
        .map((p) => ({
          agency_code: p.agency.code,
          agency_name: p.agency.name,
          level: p.agency.level,
          username: regulatorUsername(p.agency.code),
          initial_password: p.initial,
        }));
    },

    /**
     * A user who forgot the password (or whose account may be compromised) gets a new random
     * initial password, to be changed at the next login; the lock is lifted and every signed-in
     * session of the account ends. Returns the password for the operator, once.
     */
    async resetPassword(username: string, actor: AuditActor): Promise<string> {
      const user = await usersRepo(knex).byUsername(username);
      if (!user) throw new Error(`没有用户名为 ${username} 的账号`);
      return resetPasswordOf(user, actor, 'cli');
    },

    resetPasswordOf,

    /** `accounts:reset --second-factor`: e.g. the only 系统管理员, phone and recovery codes lost. */
    async resetSecondFactor(username: string, actor: AuditActor): Promise<void> {
      const user = await usersRepo(knex).byUsername(username);
      if (!user) throw new Error(`没有用户名为 ${username} 的账号`);
      await resetSecondFactorOf(user, actor, 'cli');
    },

    resetSecondFactorOf,

    /**
     * The three administrators (三员分立), each with a random initial password to be changed at
     * the first login; a role that already has a (non-demo) account is skipped.
     */
    async issueAdmins(actor: AuditActor): Promise<IssuedAdmin[]> {
      const taken = await usersRepo(knex).adminRolesTaken();
      const issued: IssuedAdmin[] = [];
      for (const role of ADMIN_ROLES.filter((r) => !taken.has(r))) {
        const initial = randomPassword(14);
        const hash = await hasher.hash(initial);
        const row = await knex.transaction(async (trx) => {
          const added = (
            await usersRepo(trx).insertUnlessTaken([
              {
                username: adminUsername(role),
                password_hash: hash,
                role,
                name: ROLE_LABELS[role],
                must_change_password: true,
              },
            ])
          ).has(adminUsername(role));
          if (added)
            await recordAudits(trx, issuedEvents(actor, 'cli', [{ username: adminUsername(role), role }]));
          return added;
        });
        if (row)
          issued.push({
            role,
            role_name: ROLE_LABELS[role],
            username: adminUsername(role),
            initial_password: initial,
          });
      }
      return issued;
    },

    /** The 系统管理员 account `admin`; returns the password only when it generated one. */
    async ensureAdmin(
      password: string | null,
    ): Promise<{ created: boolean; generatedPassword: string | null }> {
      const users = usersRepo(knex);
      if (await users.byUsername('admin')) return { created: false, generatedPassword: null };
      const initial = password ?? randomPassword(14);
      const hash = await hasher.hash(initial);
      await knex.transaction(async (trx) => {
        await usersRepo(trx).insert({
          username: 'admin',
          password_hash: hash,
          role: 'sysadmin',
          name: ROLE_LABELS.sysadmin,
          must_change_password: password === null,
        });
        // The server's start creates it: no one acts, nothing is typed.
        await recordAudit(trx, {
          type: 'account.create',
          actorId: null,
          actorName: 'system',
          address: null,
          object: 'admin',
          result: 'success',
          detail: { via: 'start', role: 'sysadmin' },
        });
      });
      return { created: true, generatedPassword: password === null ? initial : null };
    },
  };
}
export type AccountIssuanceService = ReturnType<typeof accountIssuanceService>;
