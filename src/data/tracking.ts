import type { Knex } from 'knex';
import type { Category } from '../domain/systems';
import type { TrackingStatus } from '../domain/tracking';
import type { Arrival, HistoryAction, WorkflowState } from '../domain/workflow';
import { whereTextOrEnterprise } from './textSearch';

/**
 * 信息追踪: the systems an agency approved or returned, with where they are now relative to it.
 *
 * The status is computed in SQL so that filtering by it and paginating happen in the database.
 * It is the rule of domain/tracking.ts `trackingStatus`, restated over the agency tree: a
 * system's review chain is the path of its supervising agency (`sup`), so an agency is on the
 * chain exactly when its path is a prefix of sup.path; of two agencies on the chain the one with
 * the shorter path is the ancestor. (test/integration/tracking.test.ts checks that the two agree
 * on every position.)
 */
export const TRACKING_STATUS_SQL = `CASE ps.state
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

export interface TrackingFilter {
  status?: TrackingStatus;
  category?: Category;
  q?: string;
}

export interface TrackingRow {
  id: number;
  name: string;
  category: Category;
  state: WorkflowState;
  arrival: Arrival | null;
  current_agency_name: string | null;
  latest_version: number;
  stored_version: number | null;
  state_changed_at: Date;
  enterprise_name: string;
  credit_code: string;
  status: TrackingStatus | null;
  my_action: HistoryAction;
  my_action_to_state: WorkflowState;
  my_action_at: Date;
  /** A stored version exists that this agency may open in 已入库信息查询. */
  stored_visible: boolean;
}

export function trackingRepo(db: Knex | Knex.Transaction) {
  /**
   * Every system the agency acted on (a semi-join on history_actor_agency), with its status
   * relative to the agency. Only the narrow columns that filtering and ordering need: the
   * display columns are joined for the page's rows alone (`withDetails`).
   */
  function tracked(agencyId: number, walkNewest = false): Knex.QueryBuilder {
    return db('production_systems as ps')
      .whereRaw(
        `EXISTS (SELECT 1 FROM history h WHERE h.actor_agency_id = ? AND h.system_id = ps.id${walkNewest ? ' OFFSET 0' : ''})`,
        [agencyId],
      )
      .joinRaw('JOIN agencies me ON me.id = ?', [agencyId])
      .join('agencies as sup', 'sup.id', 'ps.supervising_agency_id')
      .leftJoin('agencies as cur', 'cur.id', 'ps.current_agency_id')
      .select(
        'ps.id',
        'ps.name',
        'ps.category',
        'ps.state',
        'ps.arrival',
        'ps.latest_version',
        'ps.stored_version',
        'ps.enterprise_id',
        'ps.state_changed_at',
        'cur.name as current_agency_name',
        db.raw(`${TRACKING_STATUS_SQL} as status`),
      );
  }

  /** `tracked` with the filters applied, as a derived table `t` (the status is a column there). */
  function filtered(agencyId: number, f: TrackingFilter, walkNewest = false): Knex.QueryBuilder {
    const q = db.from(tracked(agencyId, walkNewest).as('t'));
    if (f.status) q.where('t.status', f.status);
    if (f.category) q.where('t.category', f.category);
    if (f.q) whereTextOrEnterprise(q, 'lower(t.name)', 't.enterprise_id', f.q);
    return q;
  }

  /** The page's rows with what the list shows: enterprise, the agency's last action, stored link. */
  function withDetails(rows: Knex.QueryBuilder, agencyId: number): Knex.QueryBuilder {
    return db
      .from(rows.as('t'))
      .join('enterprises as e', 'e.id', 't.enterprise_id')
      .joinRaw(
        `JOIN LATERAL (SELECT h.action, h.to_state, h.at FROM history h
                        WHERE h.actor_agency_id = ? AND h.system_id = t.id
                        ORDER BY h.seq DESC LIMIT 1) mine ON true`,
        [agencyId],
      )
      .joinRaw('JOIN agencies me ON me.id = ?', [agencyId])
      .select(
        't.*',
        'e.name as enterprise_name',
        'e.credit_code',
        'mine.action as my_action',
        'mine.to_state as my_action_to_state',
        'mine.at as my_action_at',
        db.raw(`EXISTS (SELECT 1 FROM stored_systems ss JOIN agencies sa ON sa.id = ss.supervising_agency_id
                         WHERE ss.system_id = t.id AND starts_with(sa.path, me.path)) as stored_visible`),
      );
  }

  const WALK_NEWEST_FROM = 2000;

  const NEWEST_FIRST = [
    { column: 't.state_changed_at', order: 'desc' as const },
    { column: 't.id', order: 'desc' as const },
  ];

  return {
    /**
     * How many of the agency's tracked systems have each status (other filters applied). The
     * systems are first grouped by the integers the status depends on, so the agency paths are
     * compared for a few hundred groups rather than for every system (national: 0.5 s → 0.2 s).
     */
    statusCounts: async (
      agencyId: number,
      f: Omit<TrackingFilter, 'status'>,
    ): Promise<Map<string, number>> => {
      // Grouped by what the status depends on first: the paths are compared per group.
      const groups = db
        .from(db.raw('(SELECT DISTINCT system_id FROM history WHERE actor_agency_id = ?) mine', [agencyId]))
        .join('production_systems as ps', 'ps.id', 'mine.system_id')
        .select(
          db.raw(`ps.state, ps.arrival, CASE WHEN ps.stored_version IS NULL THEN NULL ELSE 1 END AS stored_version,
                  ps.current_agency_id, ps.supervising_agency_id, count(*)::int AS n`),
        )
        .groupByRaw('1, 2, 3, 4, 5');
      if (f.category) groups.where('ps.category', f.category);
      if (f.q) whereTextOrEnterprise(groups, 'lower(ps.name)', 'ps.enterprise_id', f.q);
      const rows: { status: string | null; count: number }[] = await db
        .from(groups.as('ps'))
        .joinRaw('JOIN agencies me ON me.id = ?', [agencyId])
        .join('agencies as sup', 'sup.id', 'ps.supervising_agency_id')
        .leftJoin('agencies as cur', 'cur.id', 'ps.current_agency_id')
        .select(db.raw(`${TRACKING_STATUS_SQL} AS status`), db.raw('sum(ps.n)::int AS count'))
        .groupByRaw('1');
      return new Map(rows.map((r) => [r.status ?? '', Number(r.count)]));
    },

    /**
     * The latest movement first: what changed most recently is what the agency wants to see.
     * `total` (how many match) picks the plan. An agency that tracked a large share of all
     * systems (a province, the national level) walks the newest-first index and checks each
     * system (OFFSET 0 keeps that check per row: as a semi-join PostgreSQL misjudged its size
     * and compared every row with every tracked id); a small one sorts its few systems.
     */
    page: (
      agencyId: number,
      f: TrackingFilter,
      limit: number,
      offset: number,
      total: number,
    ): Promise<TrackingRow[]> =>
      withDetails(
        filtered(agencyId, f, total > WALK_NEWEST_FROM)
          .select('t.*')
          .orderBy(NEWEST_FIRST)
          .limit(limit)
          .offset(offset),
        agencyId,
      ).orderBy(NEWEST_FIRST),

    /** One system the agency acted on, or undefined (not acted on: not its business). */
    one: (agencyId: number, systemId: number): Promise<TrackingRow | undefined> =>
      withDetails(tracked(agencyId).where('ps.id', systemId), agencyId).first(),

    /**
     * The SQL status of any system for any agency, acted on or not: lets tests hold the SQL to
     * the domain rule on positions the workflow rarely produces.
     */
    statusOf: async (agencyId: number, systemId: number): Promise<TrackingStatus | null | undefined> => {
      const row = await db('production_systems as ps')
        .joinRaw('JOIN agencies me ON me.id = ?', [agencyId])
        .join('agencies as sup', 'sup.id', 'ps.supervising_agency_id')
        .leftJoin('agencies as cur', 'cur.id', 'ps.current_agency_id')
        .where('ps.id', systemId)
        .first(db.raw(`${TRACKING_STATUS_SQL} as status`));
      return row?.status;
    },
  };
}
