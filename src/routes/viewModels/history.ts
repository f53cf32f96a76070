import type { HistoryListRow } from '../../services/types';
import {
  actionLabel,
  arrivalLabel,
  type Arrival,
  type HistoryAction,
  type WorkflowState,
} from '../../domain/workflow';
import { fieldLabel } from '../../domain/systems';

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

export function historyView(rows: readonly HistoryListRow[], category: string): HistoryEntryView[] {
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actor_name,
    org: r.actor_agency_name ?? r.actor_enterprise_name ?? '',
    action: actionLabel(r.action as HistoryAction, r.to_state as WorkflowState),
    actionKind: r.action as HistoryAction,
    from: positionLabel(r.from_state, shortAgencyName(r.from_agency_name), r.from_arrival),
    to: positionLabel(r.to_state, shortAgencyName(r.to_agency_name), r.to_arrival),
    note: r.note,
    fields: r.fields.map((f) => fieldLabel(category, f)),
    version: r.version,
  }));
}

/** The reasons of the latest run of returns (the one that sent it back down), newest first. */
export function latestReturnRun(rows: readonly HistoryListRow[]): HistoryListRow[] {
  const run: HistoryListRow[] = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    if (rows[i].action !== 'return') {
      if (run.length) break;
      continue;
    }
    run.push(rows[i]);
  }
  return run;
}
