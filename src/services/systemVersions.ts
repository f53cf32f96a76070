import type { SystemData } from '../domain/systems';
import type { VersionRow } from '../data/systems';

/** A submitted version of a system as the pages show it (its enterprise facts apart). */
export interface SystemVersion {
  version: number;
  data: SystemData;
  submittedAt: Date;
}

export const systemVersion = (v: VersionRow): SystemVersion => ({
  version: v.version,
  data: v.data,
  submittedAt: v.submitted_at,
});
