// The row shapes that services hand to routes, re-exported so that routes and view models
// depend on services only, never on the data layer (STYLE.md layering).
export type { SortDir, StoredSortKey } from '../data/stored';
