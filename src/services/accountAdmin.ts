import type { Knex } from 'knex';
import { lastPageClamp } from '../domain/paging';
import { BadRequest, NotFound, ValidationFailed } from '../domain/errors';
import { validateIssueScope } from '../domain/issueScope';
import { accountsRepo, type AccountFilter, type AccountListRow } from '../data/accounts';
import { usersRepo } from '../data/users';
import { loginLimitsRepo } from '../data/loginLimits';
import { orgRepo } from '../data/org';
import { issuedCsv, ISSUED_COLUMNS, type AccountIssuanceService } from './accountIssuance';
import type { SecurityPolicyService } from './securityPolicy';
import type { CurrentUser } from './session';
import { recordAudit } from '../data/audit';
import type { AuditActor } from '../domain/audit';
import type { Role } from '../domain/roles';

/** The administrator acting on 账号管理 or 账号解锁, and from where (for the audit). */
const actorOf = (admin: CurrentUser, address: string | null): AuditActor => ({ actorId: admin.id, address });

export const ACCOUNTS_PAGE_SIZE = 20;

export interface AccountQuery extends AccountFilter {
  page: number;
  /** Filters ignored because their value was not understood (routes/queryParsers.ts). */
  notUnderstood: string[];
}

/** An account of the list, with when its login pause ends if it is paused (locked) now. */
export interface AccountItem {
  id: number;
  username: string;
  name: string | null;
  role: Role;
  /** The agency's or the enterprise's name. */
  orgName: string | null;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  /** 双因素 enrolled (a waiting, unconfirmed enrolment is not). */
  secondFactorEnabled: boolean;
  lockedUntil: Date | null;
}

const accountItem = (r: AccountListRow, lockedUntil: Date | null): AccountItem => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role,
  orgName: r.org_name,
  mustChangePassword: r.must_change_password,
  lastLoginAt: r.last_login_at,
  secondFactorEnabled: r.second_factor_enabled,
  lockedUntil,
});

export interface AccountList {
  query: AccountQuery;
  total: number;
  page: number;
  pageSize: number;
  rows: AccountItem[];
}

/**
 * The account list and what is done to one account: 账号管理 (系统管理员: reset a forgotten
 * password, the same as `npm run accounts:reset`; issue regulator accounts) and 账号解锁
 * (安全管理员: lift a lock-out early). Which role reaches which route: domain/roles.ts.
 */
export function accountAdminService(
  knex: Knex,
  securityPolicy: SecurityPolicyService,
  issuance: AccountIssuanceService,
) {
  const accounts = accountsRepo(knex);

  /** Another user's account (an admin changes their own password at 修改密码). */
  async function otherUser(
    admin: CurrentUser,
    userId: number,
    selfMessage = '不能在此重置本人的密码，请使用“修改密码”',
  ) {
    const user = Number.isSafeInteger(userId) ? await usersRepo(knex).byId(userId) : undefined;
    if (!user) throw new NotFound('该账号不存在');
    if (user.id === admin.id) throw new BadRequest(selfMessage);
    return user;
  }

  return {
    async list(query: AccountQuery): Promise<AccountList> {
      const total = await accounts.count(query);
      const { page, offset } = lastPageClamp(query.page, total, ACCOUNTS_PAGE_SIZE);
      const found = total ? await accounts.page(query, ACCOUNTS_PAGE_SIZE, offset) : [];
      // Locked: the login limiter pauses the username from some address (data/loginLimits.ts).
      const paused = await loginLimitsRepo(knex).pausedUntil(
        found.map((r) => r.username),
        (await securityPolicy.current()).lockMaxFailures,
      );
      const rows = found.map((r) => accountItem(r, paused.get(r.username) ?? null));
      return { query: { ...query, page }, total, page, pageSize: ACCOUNTS_PAGE_SIZE, rows };
    },

    /** A new initial password, shown to the admin once; the user must change it at login. */
    async resetPassword(
      admin: CurrentUser,
      userId: number,
      address: string | null,
    ): Promise<{ username: string; password: string }> {
      const user = await otherUser(admin, userId);
      const password = await issuance.resetPasswordOf(user, actorOf(admin, address), 'page');
      return { username: user.username, password };
    },

    /**
     * Issues the regulator accounts of a region/level that have none (as `accounts:issue`) and
     * returns the CSV with their initial passwords: sent to the sysadmin once, kept nowhere.
     */
    async issueRegulators(
      admin: CurrentUser,
      address: string | null,
      body: unknown,
    ): Promise<{ count: number; csv: string }> {
      const form = validateIssueScope(body);
      if (!form.ok || !form.data) throw new ValidationFailed(form.errors, form.values);
      if (form.data.regionCode && !(await orgRepo(knex).agencyByCode(form.data.regionCode)))
        throw new ValidationFailed({ region: `未找到地区或单位代码 ${form.data.regionCode}` }, form.values);
      const issued = await issuance.issueRegulatorAccounts(form.data, actorOf(admin, address), 'page');
      return { count: issued.length, csv: issuedCsv(ISSUED_COLUMNS, issued) };
    },

    /** 重置双因素 (the 系统管理员's): the user enrols again at the next login. Returns the username. */
    async resetSecondFactor(admin: CurrentUser, userId: number, address: string | null): Promise<string> {
      const user = await otherUser(admin, userId, '不能在此重置本人的双因素认证');
      await issuance.resetSecondFactorOf(user, actorOf(admin, address), 'page');
      return user.username;
    },

    /** 解除锁定: the pauses lifted and the account.unlock row in one transaction. */
    async unlock(admin: CurrentUser, userId: number, address: string | null): Promise<string> {
      const user = await otherUser(admin, userId);
      await knex.transaction(async (trx) => {
        await usersRepo(trx).unlock(user.id);
        await recordAudit(trx, {
          ...actorOf(admin, address),
          type: 'account.unlock',
          object: user.username,
          result: 'success',
          detail: { user_id: user.id },
        });
      });
      return user.username;
    },
  };
}

export type AccountAdminService = ReturnType<typeof accountAdminService>;
