import type { Knex } from 'knex';
import { historyRepo, type HistoryListRow } from '../data/history';

/** One row of a system's history as the pages show it, the agencies named. */
export interface HistoryEntry {
  seq: number;
  at: Date;
  action: string;
  actorName: string;
  actorAgencyName: string | null;
  actorEnterpriseName: string | null;
  fromState: string | null;
  fromAgencyName: string | null;
  fromArrival: string | null;
  toState: string;
  toAgencyName: string | null;
  toArrival: string | null;
  version: number;
  note: string | null;
  fields: readonly string[];
}

export const historyEntry = (r: HistoryListRow): HistoryEntry => ({
  seq: r.seq,
  at: r.at,
  action: r.action,
  actorName: r.actor_name,
  actorAgencyName: r.actor_agency_name,
  actorEnterpriseName: r.actor_enterprise_name,
  fromState: r.from_state,
  fromAgencyName: r.from_agency_name,
  fromArrival: r.from_arrival,
  toState: r.to_state,
  toAgencyName: r.to_agency_name,
  toArrival: r.to_arrival,
  version: r.version,
  note: r.note,
  fields: r.fields,
});

/** The system's history, oldest first (in the caller's transaction when given one). */
export async function historyOf(db: Knex | Knex.Transaction, systemId: number): Promise<HistoryEntry[]> {
  return (await historyRepo(db).forSystem(systemId)).map(historyEntry);
}
