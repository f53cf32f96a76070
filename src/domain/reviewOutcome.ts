import type { Position } from './workflow';
import type { ChangeOf } from './filingRounds';

/**
 * Where a review move sends a filing, and every way the pages say so. The workflow returns a
 * Destination with each approval or return; the detail page states it before the move.
 */
export type Destination =
  | { readonly kind: 'stored' }
  | { readonly kind: 'enterprise' }
  | { readonly kind: 'agency'; readonly agencyId: number; readonly name: string };

/** The destination of a position reached by a move; `nameOf` names the agency it waits at. */
export function destinationOf(next: Position, nameOf: (agencyId: number) => string | undefined): Destination {
  if (next.state === 'stored') return { kind: 'stored' };
  if (next.state === 'pending' && next.agencyId !== null)
    return { kind: 'agency', agencyId: next.agencyId, name: nameOf(next.agencyId) ?? '上级单位' };
  return { kind: 'enterprise' };
}

/** The flash after a move from the detail form. */
export function movedMessage(action: 'approve' | 'return', systemName: string, to: Destination): string {
  if (action === 'approve')
    return to.kind === 'stored'
      ? `“${systemName}”已审核通过，已入库`
      : `“${systemName}”已审核通过，已报送至${destinationName(to)}`;
  return to.kind === 'enterprise'
    ? `“${systemName}”已退回企业`
    : `“${systemName}”已退回至${destinationName(to)}`;
}

/** A bulk approval's outcome in a few words (the items that share it are listed together). */
export function bulkOutcome(to: Destination): string {
  return to.kind === 'stored' ? '已入库' : `已报送至${destinationName(to)}`;
}

const DATABASE = '全国非煤矿山安全生产基本情况数据库';

/** What storing a 变更 does to the national database, in one sentence. */
export function replacesStored(change: ChangeOf, version: number): string {
  return `本次为变更：审核通过后，第 ${version} 版将替换国家数据库中已入库的第 ${change.replaces} 版，各级查询、统计随即以第 ${version} 版为准。`;
}

/** The detail page's hint beside 审核通过 (a 变更 at 入库 says what it replaces). */
export function approveHint(to: Destination, change: ChangeOf | null = null, version = 0): string {
  if (to.kind !== 'stored') return `通过后报送至 ${destinationName(to)}`;
  return change ? replacesStored(change, version) : `通过后正式入库（${DATABASE}）`;
}

/** The question asked before an approval that stores the filing (null: nothing to confirm). */
export function approveConfirm(to: Destination, change: ChangeOf | null = null, version = 0): string | null {
  if (to.kind !== 'stored') return null;
  return change
    ? `${replacesStored(change, version)}确定审核通过吗？`
    : `审核通过后，该信息将正式入库（${DATABASE}）。确定审核通过吗？`;
}

/** The detail page's phrase beside 退回. */
export function returnPhrase(to: Destination, enterpriseName: string): string {
  return to.kind === 'enterprise' ? `退回企业（${enterpriseName}）` : `退回至 ${destinationName(to)}`;
}

function destinationName(to: Destination): string {
  return to.kind === 'agency' ? to.name : to.kind === 'stored' ? '入库' : '企业';
}

/** The question before a bulk approval: how many, and at 总局 that they are stored. */
export function bulkQuestion(count: number | '{n}', stores: boolean): string {
  return stores
    ? `确定将已选的 ${count} 项审核通过并正式入库（${DATABASE}）吗？`
    : `确定将已选的 ${count} 项审核通过并逐项报送上级吗？`;
}
