/**
 * Which systems an agency may open (审核详情, its history). What is pending at the agency is
 * its business. Past that, an agency sees a system it acted on — but once the system's
 * current chain no longer runs through it (the enterprise moved to another supervising
 * agency), only while the version on show is one it acted on: it never sees what was filed
 * after the system left its jurisdiction.
 */
export interface AgencyStanding {
  pendingHere: boolean;
  /** Versions of the system that this agency acted on (approved, returned or filed). */
  actedOnVersions: readonly number[];
  /** The agency is on the chain of the system's current supervising agency. */
  onCurrentChain: boolean;
}

export function agencyMaySee(standing: AgencyStanding, shownVersion: number): boolean {
  if (standing.pendingHere) return true;
  if (!standing.actedOnVersions.length) return false;
  return standing.onCurrentChain || standing.actedOnVersions.includes(shownVersion);
}
