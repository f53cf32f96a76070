import type { Knex } from 'knex';
import { agencyMaySee } from '../domain/jurisdiction';
import { historyRepo } from '../data/history';
import { orgRepo } from '../data/org';
import { positionOf, type SystemRow } from '../data/systems';
import { isPendingAt } from '../domain/workflow';

/**
 * Whether the agency may open this system as it now stands (domain/jurisdiction.ts), reading
 * only what the rule needs: nothing when the system is pending at the agency.
 */
export async function agencyMayOpen(db: Knex | Knex.Transaction, agencyId: number, system: SystemRow) {
  const pendingHere = isPendingAt(positionOf(system), agencyId);
  if (pendingHere) return true;
  const actedOnVersions = await historyRepo(db).agencyActedOnVersions(agencyId, system.id);
  if (!actedOnVersions.length) return false;
  const chain = await orgRepo(db).chainOf(system.supervising_agency_id);
  const onCurrentChain = chain.some((a) => a.id === agencyId);
  return agencyMaySee({ pendingHere, actedOnVersions, onCurrentChain }, system.latest_version);
}
