// 三员分立: who may do what, in one place. Each area of the application belongs to exactly one
// role; every other role is told the area does not exist (404). The three administrators
// (系统管理员, 安全管理员, 审计管理员) cannot do one another's work.

export const ROLES = ['regulator', 'enterprise', 'sysadmin', 'secadmin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The three administrators: no agency, no enterprise, a second factor always required. */
export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditor'] as const satisfies readonly Role[];
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  regulator: '监管部门',
  enterprise: '企业',
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditor: '审计管理员',
};

/** The areas of the application, each owned by one role. */
export type Area =
  | 'review' // 审核、已入库查询、信息追踪、统计分析
  | 'filing' // 企业填报
  | 'accounts' // 账号管理, issuing regulator accounts, password and second-factor reset
  | 'security' // 安全策略, unlocking accounts
  | 'audit'; // 安全审计 (read only)

const AREA_OWNER: Record<Area, Role> = {
  review: 'regulator',
  filing: 'enterprise',
  accounts: 'sysadmin',
  security: 'secadmin',
  audit: 'auditor',
};

export function mayEnter(role: Role, area: Area): boolean {
  return AREA_OWNER[area] === role;
}

/** The area a role lands in after login (every role owns exactly one). */
export function homeAreaOf(role: Role): Area {
  return (Object.keys(AREA_OWNER) as Area[]).find((a) => AREA_OWNER[a] === role)!;
}

export function isAdminRole(role: Role): role is AdminRole {
  return (ADMIN_ROLES as readonly Role[]).includes(role);
}
