/**
 * Who may see and act on a production system: the one rule. Services apply it to one system
 * (services/agencyAccess.ts, `openSystem`); the list queries apply its SQL twin,
 * data/jurisdiction.ts `agencyMaySeeSql`, which test/integration/jurisdiction.test.ts holds to
 * this function.
 *
 * A system never filed (no version yet) is the enterprise's alone. An enterprise sees its own
 * systems. What is pending at an agency is its business. Past that, an agency sees a system it
 * acted on — but once the system's current chain no longer runs through it (the enterprise
 * moved to another supervising agency), only while the version on show is one it acted on: it
 * never sees what was filed after the system left its jurisdiction.
 */
export interface AgencyStanding {
  pendingHere: boolean;
  /** Versions of the system that this agency acted on (approved, returned or filed). */
  actedOnVersions: readonly number[];
  /** The agency is on the chain of the system's current supervising agency. */
  onCurrentChain: boolean;
}

export function agencyMaySee(standing: AgencyStanding, shownVersion: number): boolean {
  if (shownVersion < 1) return false;
  if (standing.pendingHere) return true;
  if (!standing.actedOnVersions.length) return false;
  return standing.onCurrentChain || standing.actedOnVersions.includes(shownVersion);
}

/** An enterprise sees its own systems, and no other's. */
export function enterpriseMaySee(enterpriseId: number, systemEnterpriseId: number): boolean {
  return enterpriseId === systemEnterpriseId;
}

/** An id as a URL carries it: only a positive safe integer can name a system. */
export function isSystemId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}
