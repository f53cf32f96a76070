/**
 * 信息追踪 (SPEC §7): where a filing an agency acted on is now, relative to that agency.
 *
 * Relative position is decided by index on the filing's own chain (index 0 = supervising
 * agency, last = root): a higher index is an ancestor, a lower one a descendant. The chain is
 * the path of this filing, so no tree look-up is needed.
 */
import type { Chain, Position } from './workflow';

export const TRACKING_STATUSES = [
  'own_pending',
  'upper_pending',
  'lower_returned',
  'lower_pending',
  'enterprise_returned',
  'stored',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export const TRACKING_LABELS: Readonly<Record<TrackingStatus, string>> = Object.freeze({
  own_pending: '本级待处理',
  upper_pending: '上级待审核',
  lower_returned: '已退回下级',
  /** Resubmitted (or a change submitted) after a return, and on its way up again below us. */
  lower_pending: '下级审核中',
  enterprise_returned: '已退回企业',
  stored: '已入库',
});

export function trackingLabel(status: TrackingStatus): string {
  return TRACKING_LABELS[status];
}

/**
 * The status of a filing for the agency `viewerAgencyId`, or null when the viewer or the
 * holding agency is not on the chain (e.g. the supervising agency has since changed): there is
 * then no "above" or "below" to speak of.
 *
 * `hasStoredVersion`: whether a stored version exists. A draft with one is a change (变更)
 * being prepared at the enterprise; the stored version is still the current record, so it is
 * reported as stored. Once the change is submitted, the live filing is what is tracked.
 */
export function trackingStatus(
  position: Position,
  chain: Chain,
  viewerAgencyId: number,
  hasStoredVersion: boolean,
): TrackingStatus | null {
  switch (position.state) {
    case 'stored':
      return 'stored';
    case 'returned':
      return 'enterprise_returned';
    case 'draft':
      // Without a stored version a draft an agency acted on can only be back at the enterprise.
      return hasStoredVersion ? 'stored' : 'enterprise_returned';
    case 'pending': {
      const viewer = chain.indexOf(viewerAgencyId);
      const holder = position.agencyId === null ? -1 : chain.indexOf(position.agencyId);
      if (viewer < 0 || holder < 0) return null;
      if (holder > viewer) return 'upper_pending';
      if (holder === viewer) return 'own_pending';
      // Below the viewer: sent down by a return, or coming up again after a resubmission —
      // calling the latter 已退回下级 would tell the viewer something that is no longer true.
      return position.arrival === 'upper_returned' ? 'lower_returned' : 'lower_pending';
    }
  }
}

/** What `trackingStatuses` gives: the status for each agency on the chain, and for any other. */
export interface ChainStatuses {
  onChain: [agencyId: number, status: TrackingStatus | null][];
  /** Every agency off the chain sees the same: the state alone decides, or there is no status. */
  offChain: TrackingStatus | null;
}

/** The status of a filing for every agency that may be tracking it (see `trackingStatus`). */
export function trackingStatuses(position: Position, chain: Chain, hasStoredVersion: boolean): ChainStatuses {
  const OFF_CHAIN = -1; // no agency has this id
  return {
    onChain: chain.map((agencyId) => [agencyId, trackingStatus(position, chain, agencyId, hasStoredVersion)]),
    offChain: trackingStatus(position, chain, OFF_CHAIN, hasStoredVersion),
  };
}
