import type { Knex } from 'knex';
import { agencyMaySee, enterpriseMaySee, isSystemId } from '../domain/jurisdiction';
import { NotFound } from '../domain/errors';
import { historyRepo } from '../data/history';
import { orgRepo, type AgencyRow } from '../data/org';
import { systemsRepo, type SystemRow } from '../data/systems';
import { isPendingAt, positionOf } from '../domain/workflow';
import type { ActingUser } from './session';

/** The agency a regulator acts for; anyone else (an enterprise, an administrator) finds nothing here: 404. */
export function regulatorAgencyId(user: ActingUser): number {
  if (user.role !== 'regulator') throw new NotFound();
  return user.agencyId;
}

/** The agency a regulator acts for, as a row (see regulatorAgencyId). */
export async function regulatorAgency(db: Knex | Knex.Transaction, user: ActingUser): Promise<AgencyRow> {
  const agency = await orgRepo(db).agencyById(regulatorAgencyId(user));
  if (!agency) throw new NotFound();
  return agency;
}

/**
 * Whether the agency may open this system as it now stands (domain/jurisdiction.ts), reading
 * only what the rule needs: nothing when the system is pending at the agency.
 */
export async function agencyMayOpen(db: Knex | Knex.Transaction, agencyId: number, system: SystemRow) {
  const pendingHere = isPendingAt(positionOf(system), agencyId);
  if (pendingHere || system.latest_version < 1)
    return agencyMaySee({ pendingHere, actedOnVersions: [], onCurrentChain: false }, system.latest_version);
  const actedOnVersions = await historyRepo(db).agencyActedOnVersions(agencyId, system.id);
  if (!actedOnVersions.length) return false;
  const chain = await orgRepo(db).chainOf(system.supervising_agency_id);
  const onCurrentChain = chain.some((a) => a.id === agencyId);
  return agencyMaySee({ pendingHere, actedOnVersions, onCurrentChain }, system.latest_version);
}

/**
 * The system as this user may open it, read (or with `lock`, locked FOR UPDATE in `db`, a
 * transaction); 404 for what is not theirs to see (domain/jurisdiction.ts): another
 * enterprise's system, one outside the agency's jurisdiction, any system for the admins.
 */
export async function openSystem(
  db: Knex | Knex.Transaction,
  user: ActingUser,
  systemId: number,
  options: { lock?: boolean } = {},
): Promise<SystemRow> {
  if (!isSystemId(systemId)) throw new NotFound();
  const repo = systemsRepo(db);
  const system = await (options.lock ? repo.lock(systemId) : repo.byId(systemId));
  if (!system) throw new NotFound();
  const mayOpen =
    user.role === 'enterprise'
      ? enterpriseMaySee(user.enterpriseId, system.enterprise_id)
      : user.role === 'regulator' && (await agencyMayOpen(db, user.agencyId, system));
  if (!mayOpen) throw new NotFound();
  return system;
}
