import { openedFrom, paths, withQuery } from '../../paths';
import {
  AUDIT_EVENT_LABELS,
  AUDIT_RESULT_LABELS,
  type AuditEventType,
  type AuditResult,
} from '../../domain/audit';
import { ROLE_LABELS, type Role } from '../../domain/roles';
import type { AuditEntry, AuditList, AuditSelected } from '../../services/auditLog';
import { AUDIT_FILTER_LABELS } from '../queryParsers';
import type { FilterSelect } from './stored';
import type { TagView } from './labels';
import { paginationView } from './pagination';

const eventLabel = (type: string) => AUDIT_EVENT_LABELS[type as AuditEventType] ?? type;
const roleLabel = (role: string | null) => (role ? (ROLE_LABELS[role as Role] ?? role) : null);
const resultTag = (result: string): TagView => ({
  label: AUDIT_RESULT_LABELS[result as AuditResult] ?? result,
  tone: result === 'success' ? 'green' : 'red',
});

const option = ([value, label]: [string, string]) => ({ value, label });
const select = (name: 'type' | 'result', options: [string, string][], selected = ''): FilterSelect => ({
  name,
  label: AUDIT_FILTER_LABELS[name],
  groups: [{ label: null, options: options.map(option) }],
  selected,
});

/** The list as filtered (and paged): its URL, and where the export and a detail's 返回 lead. */
export const auditListHref = (s: AuditSelected, page?: number) =>
  withQuery(paths.audit.list(), { ...s, page: page && page > 1 ? page : undefined });

export function auditListView(list: AuditList) {
  const s = list.query.selected;
  const here = auditListHref(s, list.page);
  return {
    title: '安全审计',
    selected: { from: s.from ?? '', to: s.to ?? '', account: s.account ?? '', q: s.q ?? '' },
    matchPrefix: s.match === 'prefix',
    filterSelects: [
      select('type', Object.entries(AUDIT_EVENT_LABELS), s.type),
      select('result', Object.entries(AUDIT_RESULT_LABELS), s.result),
    ],
    total: list.total,
    hasFilters: Object.keys(s).length > 0,
    resetHref: paths.audit.list(),
    exportHref: withQuery(paths.audit.xlsx(), { ...s }),
    rows: list.rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      event: eventLabel(r.eventType),
      username: r.actorUsername ?? '—',
      role: roleLabel(r.actorRole),
      unit: r.actorUnit,
      address: r.address ?? '—',
      object: r.object ?? '—',
      result: resultTag(r.result),
      reason: r.reason ?? '—',
      href: openedFrom(paths.audit.show(r.id), here),
    })),
    pagination: paginationView(list.total, list.page, (n) => auditListHref(s, n), list.pageSize),
  };
}

export function auditDetailView(row: AuditEntry, backHref: string, dateTime: (d: Date) => string) {
  const dash = (v: string | null) => v ?? '—';
  return {
    title: `审计记录 ${row.seq}`,
    breadcrumbs: [{ label: '安全审计', href: backHref }, { label: `审计记录 ${row.seq}` }],
    result: resultTag(row.result),
    facts: [
      { label: '序号', value: String(row.seq) },
      { label: '时间', value: dateTime(row.at) },
      { label: '事件', value: eventLabel(row.eventType) },
      { label: '事件代码', value: row.eventType },
      { label: '账号', value: dash(row.actorUsername) },
      { label: '账号编号', value: row.actorUserId === null ? '—' : String(row.actorUserId) },
      { label: '角色', value: dash(roleLabel(row.actorRole)) },
      { label: '所属单位 / 企业', value: dash(row.actorUnit) },
      { label: '来源地址', value: dash(row.address) },
      { label: '对象', value: dash(row.object) },
      { label: '结果', value: AUDIT_RESULT_LABELS[row.result as AuditResult] ?? row.result },
      { label: '原因', value: dash(row.reason) },
    ],
    detailJson: Object.keys(row.detail ?? {}).length ? JSON.stringify(row.detail, null, 2) : null,
    chain: [
      { label: '本条哈希', value: row.hash },
      { label: '前一条哈希', value: row.prevHash ?? '（链首）' },
    ],
    backHref,
  };
}
