import { mayEnter, type Role } from './roles';
import { chainHash, firstChainBreak, type ChainProblem, type ChainStart } from './hashChain';

// 安全审计: the security events the application records (GB/T 22239-2019 三级, 安全审计), their
// Chinese labels, and the hash that chains each row to the one before it.

export const AUDIT_EVENT_LABELS = {
  'login.success': '登录成功',
  'login.failure': '登录失败',
  logout: '退出登录',
  'session.expired': '会话超时',
  'password.change': '修改密码',
  'password.forced_change': '强制修改密码',
  'password.reset': '重置密码',
  'account.lock': '账号锁定',
  'account.unlock': '解除锁定',
  'account.issue': '签发账号',
  'account.create': '创建账号',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'account.role_change': '角色变更',
  'second_factor.enrol': '绑定双因素',
  'second_factor.failure': '双因素验证失败',
  'second_factor.reset': '重置双因素',
  'security.setting_change': '安全策略变更',
  'export.xlsx': '导出 Excel',
  'review.approve': '审核通过',
  'review.return': '审核退回',
  'review.bulk_approve': '批量审核通过',
  'audit.view': '查看安全审计',
  'audit.archive': '归档安全审计',
} as const;

export type AuditEventType = keyof typeof AUDIT_EVENT_LABELS;
export const AUDIT_EVENT_TYPES = Object.keys(AUDIT_EVENT_LABELS) as AuditEventType[];

export function isAuditEventType(value: string): value is AuditEventType {
  return Object.prototype.hasOwnProperty.call(AUDIT_EVENT_LABELS, value);
}

export type AuditResult = 'success' | 'failure';
export const AUDIT_RESULT_LABELS: Record<AuditResult, string> = { success: '成功', failure: '失败' };

/** What a caller records; the actor's username, role and unit are looked up from actorId. */
export interface AuditEventInput {
  type: AuditEventType;
  /** The account acting (null: nobody signed in, e.g. a login with an unknown username). */
  actorId: number | null;
  /** The name typed or known when there is no account (login failure of an unknown user). */
  actorName?: string;
  address: string | null;
  /** What the event is about: an account, a system id, an export's page… */
  object?: string | null;
  result: AuditResult;
  /** Why it failed (or what kind of success), in Chinese, for the auditor. */
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/** Who acts, as an event records it: spread into an AuditEventInput. */
export type AuditActor = Pick<AuditEventInput, 'actorId' | 'actorName' | 'address'>;

/**
 * The operator of a command-line tool (accounts:issue, accounts:reset, audit:archive): no
 * account and no network address; the operating-system user stands for the account.
 */
export function cliActor(osUser: string): AuditActor {
  return { actorId: null, actorName: `cli:${osUser}`.slice(0, 64), address: null };
}

/** Why a login failed: the log says which, the user is only ever told the one neutral message. */
export const LOGIN_FAILURE_REASONS = {
  badPassword: '密码错误',
  badCaptcha: '验证码错误',
  paused: '用户名因连续输错密码暂停登录',
  unknownUser: '用户名不存在',
  addressLimited: '来源地址登录尝试过于频繁',
} as const;

/** The content of an audit row that its hash covers. */
export interface AuditContent {
  seq: number;
  at: Date;
  event_type: string;
  actor_user_id: number | null;
  actor_username: string | null;
  actor_role: string | null;
  actor_unit: string | null;
  address: string | null;
  object: string | null;
  result: string;
  reason: string | null;
  detail: Record<string, unknown>;
  prev_hash: string | null;
}

export interface AuditRow extends AuditContent {
  id: number;
  hash: string;
}

export function auditHash(row: AuditContent): string {
  return chainHash([
    row.seq,
    row.at.toISOString(),
    row.event_type,
    row.actor_user_id,
    row.actor_username,
    row.actor_role,
    row.actor_unit,
    row.address,
    row.object,
    row.result,
    row.reason,
    row.detail,
    row.prev_hash,
  ]);
}

export interface AuditBreak {
  id: number;
  seq: number;
  problem: ChainProblem;
}

/** The first broken row of a run of the chain (in seq order) continuing from `start`. */
export function auditChainBreak(rows: readonly AuditRow[], start: ChainStart): AuditBreak | null {
  const broken = firstChainBreak(rows, auditHash, start);
  return broken ? { id: broken.row.id, seq: broken.row.seq, problem: broken.problem } : null;
}

/** Rows younger than this are kept whatever is asked (网络安全法 §21: at least six months). */
export const AUDIT_RETENTION_DAYS = 180;

/** The newest `before` an archive may use at `now`: nothing younger than 180 days goes. */
export function latestArchiveCutoff(now: Date): Date {
  return new Date(now.getTime() - AUDIT_RETENTION_DAYS * 24 * 3600 * 1000);
}

/**
 * An archive file (`npm run audit:archive`): JSON lines, the first the header, then one row a
 * line in seq order, each with its hash. The header names where the archived run continues from
 * (`start`: the previous archive's head, or nothing) and where it ends (`last_seq`, `last_hash`),
 * so the file verifies on its own (auditArchiveProblem) and the table's chain continues from it.
 */
export const AUDIT_ARCHIVE_FORMAT = 'census-audit-archive/1';

export interface AuditArchiveHeader {
  format: typeof AUDIT_ARCHIVE_FORMAT;
  /** Rows older than this (ISO time) were archived. */
  before: string;
  start: ChainStart;
  first_seq: number;
  last_seq: number;
  last_hash: string;
  row_count: number;
}

/** A row as a line of the archive file (its time as ISO text). */
export const archiveLine = (row: AuditRow): string =>
  JSON.stringify({ ...row, at: new Date(row.at).toISOString() });

/** Why an archive file's lines do not verify (null: they do): header, count, chain, head. */
export function auditArchiveProblem(lines: readonly string[]): string | null {
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  if (nonEmpty.length === 0) return '文件为空';
  let header: AuditArchiveHeader;
  let rows: AuditRow[];
  try {
    header = JSON.parse(nonEmpty[0]) as AuditArchiveHeader;
    rows = nonEmpty.slice(1).map((l) => {
      const r = JSON.parse(l) as AuditRow & { at: string };
      return { ...r, at: new Date(r.at) };
    });
  } catch {
    return '文件不是有效的 JSON lines';
  }
  if (header.format !== AUDIT_ARCHIVE_FORMAT) return `文件格式不是 ${AUDIT_ARCHIVE_FORMAT}`;
  if (rows.length !== header.row_count) return `记录数 ${rows.length} 与文件头的 ${header.row_count} 不符`;
  const broken = auditChainBreak(rows, header.start);
  if (broken) return `第 ${broken.seq} 条记录损坏（${broken.problem}）`;
  const last = rows.at(-1);
  if (
    !last ||
    last.seq !== header.last_seq ||
    last.hash !== header.last_hash ||
    rows[0].seq !== header.first_seq
  )
    return '最后一条记录与文件头的链尾不符';
  return null;
}

/** 安全审计 is the auditor's (审计管理员) alone: everyone else is told it does not exist. */
export function mayViewAudit(user: { role: Role } | null | undefined): boolean {
  return user ? mayEnter(user.role, 'audit') : false;
}
