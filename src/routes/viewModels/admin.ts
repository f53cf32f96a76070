import { paths, withQuery } from '../../paths';
import { isLocked } from '../../domain/account';
import { ROLE_LABELS } from '../../domain/roles';
import { AGENCY_LEVEL_LABELS, AGENCY_LEVELS } from '../../domain/orgTree';
import type { AccountList, AccountQuery } from '../../services/accountAdmin';
import type { TagView } from './labels';
import { paginationView } from './pagination';

export const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));

export interface AccountRowView {
  id: number;
  username: string;
  name: string;
  role: string;
  org: string;
  status: TagView;
  lastLogin: Date | null;
  /** The admin's own account: its password is changed at 修改密码, not reset here. */
  self: boolean;
  /** 系统管理员 (账号管理) resets passwords; 安全管理员 (账号解锁) unlocks. */
  resetAction: string | null;
  unlockAction: string | null;
  /** 系统管理员 resets an enrolled second factor (重置双因素). */
  resetSecondFactorAction: string | null;
}

const queryParams = (q: AccountQuery, page?: number) => ({ role: q.role, q: q.q, page });

/** The one account list, as 账号管理 (sysadmin) or as 账号解锁 (secadmin) shows it. */
export type AccountListMode = 'accounts' | 'security';

const LIST_PAGES: Record<AccountListMode, { title: string; path: string; intro: string }> = {
  accounts: {
    title: '账号管理',
    path: paths.admin.users(),
    intro:
      '全部用户账号。用户忘记密码时可在此重置（新的初始密码只显示一次，用户登录后须立即修改）；用户手机丢失时可重置其双因素认证（下次登录时重新绑定）；可为某一地区或层级的监管部门签发账号。因多次输错密码被锁定的账号由安全管理员解除锁定。',
  },
  security: {
    title: '账号解锁',
    path: paths.admin.securityAccounts(),
    intro: '因多次输错密码被锁定的账号可在此提前解除锁定。重置密码由系统管理员在账号管理中办理。',
  },
};

/** The list as searched (and paged): where 解除锁定 and 重置密码 lead back to. */
export function accountListHref(mode: AccountListMode, query: AccountQuery, page?: number): string {
  return withQuery(LIST_PAGES[mode].path, queryParams(query, page && page > 1 ? page : undefined));
}

export function accountListView(
  list: AccountList,
  adminId: number,
  mode: AccountListMode,
  now: Date = new Date(),
) {
  const { query } = list;
  const page = LIST_PAGES[mode];
  const href = (n?: number) => accountListHref(mode, query, n);
  const back = href(list.page);
  return {
    /** The list's own query, posted with each row action so that it comes back here. */
    back: back.slice(back.indexOf('?') + 1 || back.length),
    title: page.title,
    intro: page.intro,
    listPath: page.path,
    issueHref: mode === 'accounts' ? paths.admin.issue() : null,
    roleOptions: ROLE_OPTIONS,
    selected: { role: query.role ?? '', q: query.q ?? '' },
    total: list.total,
    hasFilters: Boolean(query.role || query.q),
    resetHref: page.path,
    rows: list.rows.map((r): AccountRowView => {
      const locked = isLocked(r.lockedUntil, now);
      return {
        id: r.id,
        username: r.username,
        name: r.name ?? '—',
        role: ROLE_LABELS[r.role],
        org: r.orgName ?? '—',
        status: locked
          ? { label: '已锁定', tone: 'red' }
          : r.mustChangePassword
            ? { label: '待修改初始密码', tone: 'amber' }
            : { label: '正常', tone: 'green' },
        lastLogin: r.lastLoginAt,
        self: r.id === adminId,
        resetAction: mode === 'accounts' ? paths.admin.resetPassword(r.id) : null,
        unlockAction: mode === 'security' && locked ? paths.admin.unlock(r.id) : null,
        resetSecondFactorAction:
          mode === 'accounts' && r.secondFactorEnabled ? paths.admin.resetSecondFactor(r.id) : null,
      };
    }),
    pagination: paginationView(list.total, list.page, (n) => href(n), list.pageSize),
  };
}

/** 签发监管部门账号: the scope form (values as typed, every error at once). */
export function issueFormView(values: Record<string, unknown>, errors: Record<string, string>) {
  return {
    title: '签发监管部门账号',
    breadcrumbs: [{ label: '账号管理', href: paths.admin.users() }, { label: '签发监管部门账号' }],
    values,
    errors,
    levelOptions: AGENCY_LEVELS.map((value) => ({ value, label: AGENCY_LEVEL_LABELS[value] })),
  };
}
