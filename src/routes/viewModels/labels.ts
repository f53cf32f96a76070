import { arrivalLabel, stateLabel, type Arrival, type WorkflowState } from '../../domain/workflow';
import { trackingLabel, type TrackingStatus } from '../../domain/tracking';
import { shortAgencyName } from './history';
import { CENSUS_BUCKET_NOTES, type CensusBucket } from '../../domain/stats';
import { CHANGE_LABEL, changeOf } from '../../domain/filingRounds';

export type Tone = 'blue' | 'green' | 'red' | 'amber' | 'purple' | 'grey';
export interface TagView {
  label: string;
  tone: Tone;
}

const STATE_TONES: Record<WorkflowState, Tone> = {
  draft: 'grey',
  pending: 'blue',
  returned: 'red',
  stored: 'green',
};
const ARRIVAL_TONES: Record<Arrival, Tone> = {
  enterprise_submitted: 'blue',
  lower_submitted: 'purple',
  upper_returned: 'red',
};
const TRACKING_TONES: Record<TrackingStatus, Tone> = {
  own_pending: 'amber',
  upper_pending: 'blue',
  lower_returned: 'red',
  lower_pending: 'purple',
  enterprise_returned: 'red',
  stored: 'green',
};

/** The state as an enterprise sees it: 审核中（西湖区安全生产监督管理局）. */
export function stateTag(state: WorkflowState, agencyName?: string | null): TagView {
  const label =
    state === 'pending' && agencyName
      ? `${stateLabel(state)}（${shortAgencyName(agencyName)}）`
      : stateLabel(state);
  return { label, tone: STATE_TONES[state] };
}

export const arrivalTag = (arrival: Arrival): TagView => ({
  label: arrivalLabel(arrival),
  tone: ARRIVAL_TONES[arrival],
});
export const trackingTag = (status: TrackingStatus): TagView => ({
  label: trackingLabel(status),
  tone: TRACKING_TONES[status],
});

/** A 变更 of a stored system under review or returned (its version is newer than the stored one). */
export const CHANGE_TAG: TagView = { label: CHANGE_LABEL, tone: 'amber' };
export const changeTag = (storedVersion: number | null, latestVersion: number): TagView | null =>
  changeOf(storedVersion, latestVersion) ? CHANGE_TAG : null;

/** The note above a list opened from a statistics figure, narrowed to one census bucket. */
export interface CensusNoteView {
  text: string;
  clearHref: string;
}

export function censusNoteView(bucket: CensusBucket | undefined, clearHref: string): CensusNoteView | null {
  return bucket ? { text: `按统计分析口径，仅列出${CENSUS_BUCKET_NOTES[bucket]}的系统。`, clearHref } : null;
}
