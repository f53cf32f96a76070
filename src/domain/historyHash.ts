import { chainHash, firstChainBreak, type ChainProblem } from './hashChain';

// Tamper evidence for 操作历史: each row's hash covers its content and the previous row's hash
// of the same system, so an edit anywhere breaks every later link of that system's chain.
export interface HashedHistoryContent {
  system_id: number;
  seq: number;
  at: Date;
  action: string;
  actor_user_id: number;
  actor_name: string;
  actor_agency_id: number | null;
  actor_enterprise_id: number | null;
  from_state: string | null;
  from_agency_id: number | null;
  from_arrival: string | null;
  to_state: string;
  to_agency_id: number | null;
  to_arrival: string | null;
  version: number;
  note: string | null;
  fields: readonly string[];
  prev_hash: string | null;
}

export function historyHash(row: HashedHistoryContent): string {
  // A fixed key order and ISO time: the same content always gives the same text.
  return chainHash([
    row.system_id,
    row.seq,
    row.at.toISOString(),
    row.action,
    row.actor_user_id,
    row.actor_name,
    row.actor_agency_id,
    row.actor_enterprise_id,
    row.from_state,
    row.from_agency_id,
    row.from_arrival,
    row.to_state,
    row.to_agency_id,
    row.to_arrival,
    row.version,
    row.note,
    [...row.fields],
    row.prev_hash,
  ]);
}

export interface ChainBreak {
  id: number;
  system_id: number;
  seq: number;
  problem: ChainProblem;
}

/** Checks one system's rows (in seq order); returns the first broken row, if any. */
export function verifyChain(
  rows: readonly (HashedHistoryContent & { id: number; hash: string })[],
): ChainBreak | null {
  const broken = firstChainBreak(rows, historyHash);
  return broken
    ? { id: broken.row.id, system_id: broken.row.system_id, seq: broken.row.seq, problem: broken.problem }
    : null;
}
