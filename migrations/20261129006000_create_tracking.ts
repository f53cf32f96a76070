import type { Knex } from 'knex';

// 信息追踪 as a maintained table: one row per (agency, system it approved, returned or filed),
// with where the system now is relative to that agency. The workflow service writes it in the
// transaction of every move (services/workflow.ts), computing the status with the domain rule
// (domain/tracking.ts) for each agency that tracks the system — at most a handful of rows.
//
// Why: computed at read time, the list had to find an agency's systems in the history (a
// province acted on tens of thousands, the national level on every stored system), join each to
// its system and agencies and compare tree paths, on every page view: 20–35 ms of SQL for a
// province, 0.2 s nationally, p99 173 ms under 32 users. Here the count is an index-only scan
// of (agency_id, status) and a page is the first rows of an index walk.
//
// state_changed_at (the system's latest movement) and category are copies, kept with the status:
// the list is ordered by the former and filtered by the latter without touching the systems.

export const TRACKING_STATUSES = [
  'own_pending',
  'upper_pending',
  'lower_returned',
  'lower_pending',
  'enterprise_returned',
  'stored',
];

/**
 * The status rule of domain/tracking.ts as it stood when this migration was written, in SQL over
 * the agency tree (an agency is on a system's chain when its path prefixes the supervising
 * agency's), for the rows that exist already. test/integration/tracking.test.ts holds it to the
 * domain rule on every position.
 */
export const BACKFILL_STATUS_SQL = `CASE ps.state
    WHEN 'stored' THEN 'stored'
    WHEN 'returned' THEN 'enterprise_returned'
    WHEN 'draft' THEN CASE WHEN ps.stored_version IS NULL THEN 'enterprise_returned' ELSE 'stored' END
    ELSE CASE
      WHEN cur.id IS NULL OR NOT (starts_with(sup.path, me.path) AND starts_with(sup.path, cur.path)) THEN NULL
      WHEN cur.id = me.id THEN 'own_pending'
      WHEN length(cur.path) < length(me.path) THEN 'upper_pending'
      WHEN ps.arrival = 'upper_returned' THEN 'lower_returned'
      ELSE 'lower_pending'
    END
  END`;

/** Every agency's latest action on each system it acted on, with the status now. */
export const BACKFILL_SQL = `INSERT INTO tracking (agency_id, system_id, category, status, state_changed_at,
                          last_action, last_action_to_state, last_action_at)
  SELECT DISTINCT ON (h.actor_agency_id, h.system_id)
         h.actor_agency_id, h.system_id, ps.category, ${BACKFILL_STATUS_SQL}, ps.state_changed_at,
         h.action, h.to_state, h.at
    FROM history h
    JOIN production_systems ps ON ps.id = h.system_id
    JOIN agencies me ON me.id = h.actor_agency_id
    JOIN agencies sup ON sup.id = ps.supervising_agency_id
    LEFT JOIN agencies cur ON cur.id = ps.current_agency_id
   WHERE h.actor_agency_id IS NOT NULL
   ORDER BY h.actor_agency_id, h.system_id, h.seq DESC`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE tracking (
    agency_id integer NOT NULL REFERENCES agencies (id),
    system_id integer NOT NULL REFERENCES production_systems (id),
    category text NOT NULL,
    -- NULL: the agency is no longer on the system's chain (its supervising agency changed).
    status text CHECK (status IN (${TRACKING_STATUSES.map((s) => `'${s}'`).join(', ')})),
    state_changed_at timestamptz NOT NULL,
    last_action text NOT NULL CHECK (last_action IN ('submit', 'approve', 'return', 'reopen')),
    last_action_to_state text NOT NULL,
    last_action_at timestamptz NOT NULL,
    PRIMARY KEY (agency_id, system_id)
  )`);
  await knex.raw(BACKFILL_SQL);
  // The list: newest movement first, with or without a status filter; the counts per status are
  // an index-only scan of the second index. Moves update the trackers of one system.
  await knex.raw(
    'CREATE INDEX tracking_newest ON tracking (agency_id, state_changed_at DESC, system_id DESC) INCLUDE (category)',
  );
  await knex.raw(
    'CREATE INDEX tracking_status_newest ON tracking (agency_id, status, state_changed_at DESC, system_id DESC) INCLUDE (category)',
  );
  await knex.raw('CREATE INDEX tracking_system ON tracking (system_id)');
  // Only the read-time tracking query walked this one.
  await knex.raw('DROP INDEX production_systems_latest_movement');
  await knex.raw('ANALYZE tracking');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX production_systems_latest_movement ON production_systems (state_changed_at DESC, id DESC)',
  );
  await knex.raw('DROP TABLE tracking');
}
