import type { Knex } from 'knex';
import { orgRepo, type AgencyRow } from '../data/org';
import { usersRepo } from '../data/users';
import type { AgencyLevel } from '../domain/orgTree';
import { ADMIN_ROLES, ROLE_LABELS, type AdminRole } from '../domain/roles';
import { type PasswordHasher, randomPassword } from './passwords';

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
  /** `resetPassword` for an account already looked up (账号管理). */
  async function resetPasswordOf(userId: number): Promise<string> {
    const initial = randomPassword();
    const hash = await hasher.hash(initial);
    await knex.transaction((trx) => usersRepo(trx).resetPassword(userId, hash));
    return initial;
  }

  return {
    /**
     * One account per agency in scope that has none yet (re-running issues nothing twice).
     * Returns the new accounts with their initial passwords, for the CSV only.
     */
    async issueRegulatorAccounts(scope: {
      level?: AgencyLevel;
      regionCode?: string;
    }): Promise<IssuedAccount[]> {
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
      await knex.transaction(async (trx) => {
        for (let i = 0; i < prepared.length; i += 500) {
          await trx('users')
            .insert(
              prepared.slice(i, i + 500).map((p) => ({
                username: regulatorUsername(p.agency.code),
                password_hash: p.hash,
                role: 'regulator',
                agency_id: p.agency.id,
                must_change_password: true,
              })),
            )
            .onConflict('username')
            .ignore();
        }
      });
      return prepared.map((p) => ({
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
    async resetPassword(username: string): Promise<string> {
      const user = await usersRepo(knex).byUsername(username);
      if (!user) throw new Error(`没有用户名为 ${username} 的账号`);
      return resetPasswordOf(user.id);
    },

    resetPasswordOf,

    /**
     * The three administrators (三员分立), each with a random initial password to be changed at
     * the first login; a role that already has a (non-demo) account is skipped.
     */
    async issueAdmins(): Promise<IssuedAdmin[]> {
      const taken = new Set(
        (await knex('users').whereIn('role', ADMIN_ROLES).where({ is_demo: false }).distinct('role')).map(
          (r) => r.role as AdminRole,
        ),
      );
      const issued: IssuedAdmin[] = [];
      for (const role of ADMIN_ROLES.filter((r) => !taken.has(r))) {
        const initial = randomPassword(14);
        const [row] = await knex('users')
          .insert({
            username: adminUsername(role),
            password_hash: await hasher.hash(initial),
            role,
            name: ROLE_LABELS[role],
            must_change_password: true,
          })
          .onConflict('username')
          .ignore()
          .returning('id');
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
      await users.insert({
        username: 'admin',
        password_hash: await hasher.hash(initial),
        role: 'sysadmin',
        name: ROLE_LABELS.sysadmin,
        must_change_password: password === null,
      });
      return { created: true, generatedPassword: password === null ? initial : null };
    },
  };
}
