import type { Knex } from 'knex';

// 统计分析 at national scale (≈100,000 systems, ≈60,000 stored): every figure is one GROUP BY
// over the whole jurisdiction (data/stats.ts), so what matters is how narrow the rows are that
// those scans read. Measured on PostgreSQL 15 with 100,000 generated systems (on a loaded
// 2-core machine; the ratios are what count):
//
// 1. production_systems_stats: (supervising_agency_id) INCLUDE (id, state, arrival,
//    current_agency_id, stored_version, state_changed_at) — the census aggregate's columns.
//    The heap rows are wide (the jsonb draft sits inline), so an index-only scan reads a few MB
//    instead of the ~120 MB table. A province or city is a nested loop from its agencies
//    (agencies_path_prefix) into this index; the national page scans it whole. (The query
//    first groups by supervising and current agency — integers — and only then maps agencies
//    to the child region and to their level: 420 ms → 110 ms nationally.)
//
// 2. production_systems_stored: (id) INCLUDE (stored_version, supervising_agency_id) WHERE
//    stored_version IS NOT NULL — the stored systems in id order, which the safety query joins
//    to their versions (index 3, also in id order) with a parallel hash or merge join instead
//    of sorting 60,000 rows out of index 1: 340 ms → 170 ms nationally.
//
// 3. Generated columns on system_versions for the fields the safety figures count, and the
//    covering index system_versions_stats over them: reading the jsonb of 60,000 stored
//    versions costs ~1 s, the index-only GROUP BY a fraction of it. Versions are immutable
//    (append-only trigger), so a value PostgreSQL computes at insert can never go stale, needs
//    no trigger or application code, and the backfill is the ALTER TABLE itself. The
//    expressions cannot fail (no text casts: a number is taken only when it is a JSON number),
//    so no submission can be refused because of them. The licence expiry stays ISO text,
//    compared with today in the C collation.
const GENERATED: readonly [column: string, type: string, expression: string][] = [
  ['stats_mineral', 'text', `data->>'mineral'`],
  ['stats_scale', 'text', `data->>'scale'`],
  ['stats_grade', 'text', `data->>'grade'`],
  ['stats_safety_degree', 'text', `data->>'safety_degree'`],
  ['stats_production_status', 'text', `data->>'production_status'`],
  ['stats_overhead', 'boolean', `data->'overhead' = 'true'::jsonb`],
  [
    'stats_downstream_people',
    'numeric',
    `CASE WHEN jsonb_typeof(data->'downstream_people') = 'number' THEN (data->'downstream_people')::numeric END`,
  ],
  ['stats_licence_expires', 'text', `data->>'safety_license_expires'`],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX production_systems_stats ON production_systems (supervising_agency_id)
    INCLUDE (id, state, arrival, current_agency_id, stored_version, state_changed_at)`);
  await knex.raw(`CREATE INDEX production_systems_stored ON production_systems (id)
    INCLUDE (stored_version, supervising_agency_id) WHERE stored_version IS NOT NULL`);
  await knex.raw(
    `ALTER TABLE system_versions ${GENERATED.map(
      ([column, type, expression]) =>
        `ADD COLUMN ${column} ${type} GENERATED ALWAYS AS (${expression}) STORED`,
    ).join(', ')}`,
  );
  await knex.raw(`CREATE INDEX system_versions_stats ON system_versions (system_id, version)
    INCLUDE (category, ${GENERATED.map(([column]) => column).join(', ')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX system_versions_stats');
  await knex.raw(
    `ALTER TABLE system_versions ${GENERATED.map(([column]) => `DROP COLUMN ${column}`).join(', ')}`,
  );
  await knex.raw('DROP INDEX production_systems_stored');
  await knex.raw('DROP INDEX production_systems_stats');
}
