import type { Position } from './workflow';

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

/** The detail page's hint beside 审核通过. */
export function approveHint(to: Destination): string {
  return to.kind === 'stored'
    ? '通过后正式入库（全国非煤矿山安全生产基本情况数据库）'
    : `通过后报送至 ${destinationName(to)}`;
}

/** The question asked before an approval that stores the filing (null: nothing to confirm). */
export function approveConfirm(to: Destination): string | null {
  return to.kind === 'stored'
    ? '审核通过后，该信息将正式入库（全国非煤矿山安全生产基本情况数据库）。确定审核通过吗？'
    : null;
}

/** The detail page's phrase beside 退回. */
export function returnPhrase(to: Destination, enterpriseName: string): string {
  return to.kind === 'enterprise' ? `退回企业（${enterpriseName}）` : `退回至 ${destinationName(to)}`;
}

function destinationName(to: Destination): string {
  return to.kind === 'agency' ? to.name : to.kind === 'stored' ? '入库' : '企业';
}
