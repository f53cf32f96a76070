import { paths, withQuery } from '../../paths';
import { isLocked } from '../../domain/account';
import type { AccountList, AccountQuery } from '../../services/accountAdmin';
import type { TagView } from './labels';
import { paginationView } from './pagination';

const ROLE_LABELS = {
  regulator: '监管部门',
  enterprise: '企业',
  admin: '系统管理员',
  auditor: '审计管理员',
} as const;

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
  resetAction: string;
  unlockAction: string | null;
}

const queryParams = (q: AccountQuery, page?: number) => ({ role: q.role, q: q.q, page });

export function accountListView(list: AccountList, adminId: number, now: Date = new Date()) {
  const { query } = list;
  const href = (page?: number) => withQuery(paths.admin.users(), queryParams(query, page));
  return {
    title: '账号管理',
    roleOptions: ROLE_OPTIONS,
    selected: { role: query.role ?? '', q: query.q ?? '' },
    total: list.total,
    hasFilters: Boolean(query.role || query.q),
    resetHref: paths.admin.users(),
    rows: list.rows.map((r): AccountRowView => {
      const locked = isLocked(r.locked_until, now);
      return {
        id: r.id,
        username: r.username,
        name: r.name ?? '—',
        role: ROLE_LABELS[r.role],
        org: r.org_name ?? '—',
        status: locked
          ? { label: '已锁定', tone: 'red' }
          : r.must_change_password
            ? { label: '待修改初始密码', tone: 'amber' }
            : { label: '正常', tone: 'green' },
        lastLogin: r.last_login_at,
        self: r.id === adminId,
        resetAction: paths.admin.resetPassword(r.id),
        unlockAction: locked ? paths.admin.unlock(r.id) : null,
      };
    }),
    pagination: paginationView(
      list.total,
      list.page,
      (page) => href(page > 1 ? page : undefined),
      list.pageSize,
    ),
  };
}
