import type { Knex } from 'knex';

// Set-based checks that the derived columns agree with what they are derived from: a system's
// position and workflow_seq with the fold of its history, each version with its submit row, each
// stored version with its row in stored_systems. One statement each, so that the national bench
// database (≈120,000 systems, ≈940,000 history rows) is checked in seconds, not row by row.

export type InconsistencyKind = 'position' | 'continuity' | 'submit' | 'stored' | 'stale_stored';

export interface Inconsistency {
  kind: InconsistencyKind;
  systemId: number;
  /** The version or history seq concerned, where there is one. */
  at: number | null;
}

const LIMIT_EACH = 100;

const CHECKS: Record<InconsistencyKind, string> = {
  // State, agency, arrival and workflow_seq are those after the last history row (a system
  // without history is a draft at seq 0).
  position: `
    SELECT ps.id AS system_id, last.seq AS at
      FROM production_systems ps
      LEFT JOIN LATERAL (SELECT h.seq, h.to_state, h.to_agency_id, h.to_arrival FROM history h
                          WHERE h.system_id = ps.id ORDER BY h.seq DESC LIMIT 1) last ON true
     WHERE ps.state IS DISTINCT FROM coalesce(last.to_state, 'draft')
        OR ps.current_agency_id IS DISTINCT FROM last.to_agency_id
        OR ps.arrival IS DISTINCT FROM last.to_arrival
        OR ps.workflow_seq <> coalesce(last.seq, 0)
     ORDER BY ps.id LIMIT ${LIMIT_EACH}`,
  // Each row starts where the one before it ended (the first from a draft).
  continuity: `
    SELECT system_id, seq AS at FROM (
      SELECT h.system_id, h.seq, h.from_state, h.from_agency_id, h.from_arrival,
             lag(h.to_state) OVER w AS prev_state, lag(h.to_agency_id) OVER w AS prev_agency,
             lag(h.to_arrival) OVER w AS prev_arrival, lag(h.seq) OVER w AS prev_seq
        FROM history h WINDOW w AS (PARTITION BY h.system_id ORDER BY h.seq)) x
     WHERE CASE WHEN prev_seq IS NULL
                THEN from_state IS DISTINCT FROM 'draft' OR from_agency_id IS NOT NULL OR from_arrival IS NOT NULL
                ELSE from_state IS DISTINCT FROM prev_state OR from_agency_id IS DISTINCT FROM prev_agency
                     OR from_arrival IS DISTINCT FROM prev_arrival END
     ORDER BY system_id, seq LIMIT ${LIMIT_EACH}`,
  submit: `
    SELECT v.system_id, v.version AS at FROM system_versions v
     WHERE NOT EXISTS (SELECT 1 FROM history h
                        WHERE h.system_id = v.system_id AND h.action = 'submit' AND h.version = v.version)
     ORDER BY v.system_id, v.version LIMIT ${LIMIT_EACH}`,
  // A stored system has its query row, describing the stored version.
  stored: `
    SELECT ps.id AS system_id, ps.stored_version AS at
      FROM production_systems ps LEFT JOIN stored_systems ss ON ss.system_id = ps.id
     WHERE ps.stored_version IS NOT NULL AND ss.version IS DISTINCT FROM ps.stored_version
     ORDER BY ps.id LIMIT ${LIMIT_EACH}`,
  // ...and nothing else has one.
  stale_stored: `
    SELECT ss.system_id, ss.version AS at
      FROM stored_systems ss JOIN production_systems ps ON ps.id = ss.system_id
     WHERE ps.stored_version IS NULL
     ORDER BY ss.system_id LIMIT ${LIMIT_EACH}`,
};

export function consistencyRepo(db: Knex) {
  return {
    /** At most 100 findings of each kind, in system order. */
    async inconsistencies(): Promise<Inconsistency[]> {
      const found: Inconsistency[] = [];
      for (const [kind, sql] of Object.entries(CHECKS) as [InconsistencyKind, string][]) {
        const { rows } = await db.raw<{ rows: { system_id: number; at: number | null }[] }>(sql);
        for (const r of rows) found.push({ kind, systemId: r.system_id, at: r.at });
      }
      return found;
    },
    systemCount: async (): Promise<number> =>
      Number((await db('production_systems').count({ n: '*' }).first())?.n ?? 0),
  };
}
