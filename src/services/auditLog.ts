import type { Knex } from 'knex';
import { lastPageClamp } from '../domain/paging';
import type { Writable } from 'node:stream';
import { NotFound } from '../domain/errors';
import {
  AUDIT_EVENT_LABELS,
  AUDIT_RESULT_LABELS,
  type AuditEventType,
  type AuditResult,
  type AuditRow,
} from '../domain/audit';
import { chinaDayStart } from '../domain/campaign';
import { exportFileName } from '../domain/exportName';
import { ROLE_LABELS, type Role } from '../domain/roles';
import { recordAudit } from '../data/audit';
import { auditQueries, type AuditListFilter } from '../data/auditQueries';
import { column, writeStreamedWorkbook, type ColumnDef } from './streamedWorkbook';

// 安全审计 (the 审计管理员's, read only): the log with its filters, one row, the Excel export of
// the filtered set. Every look at the log is itself recorded (audit.view, export.xlsx).

export const AUDIT_PAGE_SIZE = 20;
const DAY_MS = 86_400_000;

/** The filters as they are in the URL (only those understood), for the form and the record. */
export interface AuditSelected {
  from?: string;
  to?: string;
  account?: string;
  /** How the account matches: the whole username (default) or its beginning. */
  match?: 'prefix';
  type?: AuditEventType;
  result?: AuditResult;
  q?: string;
}

export interface AuditQuery {
  selected: AuditSelected;
  page: number;
  notUnderstood: string[];
}

/** The selected filters as the query: China days, `to` inclusive. */
export function auditFilterOf(s: AuditSelected): AuditListFilter {
  return {
    from: s.from ? chinaDayStart(s.from) : undefined,
    to: s.to ? new Date(chinaDayStart(s.to).getTime() + DAY_MS) : undefined,
    account: s.account ? { name: s.account, prefix: s.match === 'prefix' } : undefined,
    type: s.type,
    result: s.result,
    text: s.q,
  };
}

/** Who is looking, from where: the look is recorded. */
export interface AuditViewer {
  id: number;
  address: string | null;
}

/** One audit row as the 安全审计 pages show it. */
export interface AuditEntry {
  id: number;
  seq: number;
  at: Date;
  eventType: string;
  actorUserId: number | null;
  actorUsername: string | null;
  actorRole: string | null;
  actorUnit: string | null;
  address: string | null;
  object: string | null;
  result: string;
  reason: string | null;
  detail: Record<string, unknown>;
  hash: string;
  /** Null for the head of the chain. */
  prevHash: string | null;
}

const auditEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  seq: r.seq,
  at: r.at,
  eventType: r.event_type,
  actorUserId: r.actor_user_id,
  actorUsername: r.actor_username,
  actorRole: r.actor_role,
  actorUnit: r.actor_unit,
  address: r.address,
  object: r.object,
  result: r.result,
  reason: r.reason,
  detail: r.detail,
  hash: r.hash,
  prevHash: r.prev_hash,
});

export interface AuditList {
  query: AuditQuery;
  total: number;
  page: number;
  pageSize: number;
  rows: AuditEntry[];
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The columns of the page and of its export, in the page's order. */
export const AUDIT_COLUMNS: ColumnDef<AuditRow>[] = [
  column('序号', 8, (r) => r.seq),
  // exceljs writes a Date as UTC: shifted, the cell shows the China time the page shows.
  column('时间', 20, (r) => new Date(new Date(r.at).getTime() + CHINA_OFFSET_MS), 'yyyy-mm-dd hh:mm:ss'),
  column('事件', 14, (r) => AUDIT_EVENT_LABELS[r.event_type as AuditEventType] ?? r.event_type),
  column('账号', 16, (r) => r.actor_username),
  column('角色', 10, (r) => (r.actor_role ? (ROLE_LABELS[r.actor_role as Role] ?? r.actor_role) : null)),
  column('所属单位 / 企业', 26, (r) => r.actor_unit),
  column('来源地址', 16, (r) => r.address),
  column('对象', 24, (r) => r.object),
  column('结果', 6, (r) => AUDIT_RESULT_LABELS[r.result as AuditResult] ?? r.result),
  column('原因', 28, (r) => r.reason),
];

export function auditLogService(knex: Knex) {
  const queries = auditQueries(knex);

  const viewed = (viewer: AuditViewer, object: string, detail: Record<string, unknown>) =>
    recordAudit(knex, {
      type: 'audit.view',
      actorId: viewer.id,
      address: viewer.address,
      object,
      result: 'success',
      detail,
    });

  return {
    /** An Excel export of another page (已入库, 统计分析): who, which page, filters, rows. */
    exported: (viewer: AuditViewer, page: string, detail: Record<string, unknown>) =>
      recordAudit(knex, {
        type: 'export.xlsx',
        actorId: viewer.id,
        address: viewer.address,
        object: page,
        result: 'success',
        detail: { page, ...detail },
      }),

    async list(viewer: AuditViewer, query: AuditQuery): Promise<AuditList> {
      const filter = auditFilterOf(query.selected);
      const total = await queries.count(filter);
      const { page, offset } = lastPageClamp(query.page, total, AUDIT_PAGE_SIZE);
      const rows = total ? await queries.page(filter, AUDIT_PAGE_SIZE, offset) : [];
      await viewed(viewer, '安全审计日志', { filters: query.selected, page, total });
      return {
        query: { ...query, page },
        total,
        page,
        pageSize: AUDIT_PAGE_SIZE,
        rows: rows.map(auditEntry),
      };
    },

    async detail(viewer: AuditViewer, id: number): Promise<AuditEntry> {
      const row = await queries.byId(id);
      if (!row) throw new NotFound('该审计记录不存在');
      await viewed(viewer, `审计记录 ${row.seq}`, { id: row.id, seq: row.seq });
      return auditEntry(row);
    },

    /**
     * The export of the filtered set as it is now: rows appended later (this export's own record
     * among them) are not in it, and the recorded count is the file's.
     */
    async prepareExport(viewer: AuditViewer, query: AuditQuery, today = new Date()) {
      const filter = { ...auditFilterOf(query.selected), throughSeq: await queries.headSeq() };
      const rows = await queries.count(filter);
      await recordAudit(knex, {
        type: 'export.xlsx',
        actorId: viewer.id,
        address: viewer.address,
        object: 'audit',
        result: 'success',
        detail: { page: 'audit', filters: query.selected, rows },
      });
      return {
        filename: exportFileName('安全审计日志', '全部', [], today),
        rows,
        write: (out: Writable) =>
          writeStreamedWorkbook(out, [
            { name: '安全审计日志', columns: AUDIT_COLUMNS, batches: () => queries.batches(filter) },
          ]),
      };
    },
  };
}

export type AuditLogService = ReturnType<typeof auditLogService>;
