// The row shapes that services hand to routes, re-exported so that routes and view models
// depend on services only, never on the data layer (STYLE.md layering).
export type { HistoryListRow } from '../data/history';
export type { TrackingRow } from '../data/tracking';
export type { EnterpriseSystemRow } from '../data/enterprises';
export type { MessageRow } from '../data/messages';
export type { StoredSortKey } from '../data/stored';
