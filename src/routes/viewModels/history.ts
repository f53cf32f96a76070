import type { HistoryEntry } from '../../services/history';
import {
  actionLabel,
  arrivalLabel,
  type Arrival,
  type HistoryAction,
  type WorkflowState,
} from '../../domain/workflow';
import { fieldLabel } from '../../domain/systems';
import { CHANGE_LABEL, changeRows } from '../../domain/filingRounds';

export interface HistoryEntryView {
  seq: number;
  at: Date;
  actor: string;
  org: string;
  action: string;
  actionKind: HistoryAction;
  from: string;
  to: string;
  note: string | null;
  fields: string[];
  version: number;
  /** The row belongs to a 变更 (a version replacing a stored one). */
  change: boolean;
}

/** Where a system is, in words: 西湖区安全生产监督管理局（企业提交）, 企业（已退回）, 已入库. */
export function positionLabel(
  state: string | null,
  agencyName: string | null,
  arrival: string | null,
): string {
  switch (state as WorkflowState | null) {
    case 'draft':
      return '企业（草稿）';
    case 'returned':
      return '企业（已退回）';
    case 'stored':
      return '已入库';
    case 'pending':
      return `${agencyName ?? '—'}（${arrival ? arrivalLabel(arrival as Arrival) : '待审核'}）`;
    default:
      return '—';
  }
}

/** The usual short form in a dense table: 西湖区安监局, 国家安全监管总局. */
export function shortAgencyName(name: string | null): string | null {
  return (
    name &&
    name.replace('国家安全生产监督管理总局', '国家安全监管总局').replace(/安全生产监督管理局$/, '安监局')
  );
}

/** 企业提交（变更）, 审核通过（变更入库）: a 变更's submission and storing say so. */
function rowAction(r: HistoryEntry, change: boolean): string {
  const label = actionLabel(r.action as HistoryAction, r.toState as WorkflowState);
  if (!change) return label;
  if (r.action === 'submit') return `${label}（${CHANGE_LABEL}）`;
  if (r.action === 'approve' && r.toState === 'stored') return `审核通过（${CHANGE_LABEL}入库）`;
  return label;
}

export function historyView(rows: readonly HistoryEntry[], category: string): HistoryEntryView[] {
  const changes = changeRows(rows);
  return rows.map((r, i) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actorName,
    org: r.actorAgencyName ?? r.actorEnterpriseName ?? '',
    action: rowAction(r, changes[i]),
    actionKind: r.action as HistoryAction,
    from: positionLabel(r.fromState, shortAgencyName(r.fromAgencyName), r.fromArrival),
    to: positionLabel(r.toState, shortAgencyName(r.toAgencyName), r.toArrival),
    note: r.note,
    fields: r.fields.map((f) => fieldLabel(category, f)),
    version: r.version,
    change: changes[i],
  }));
}
