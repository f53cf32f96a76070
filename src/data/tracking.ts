import type { Knex } from 'knex';
import type { Category } from '../domain/systems';
import type { ChainStatuses, TrackingStatus } from '../domain/tracking';
import type { Arrival, HistoryAction, WorkflowState } from '../domain/workflow';
import { prefixPattern, whereTextOrEnterprise, type SearchedTable } from './textSearch';
import type { CensusBucket } from '../domain/stats';
import { censusBucketSql } from './census';

/**
 * 信息追踪: the systems an agency approved, returned or filed, with where they are now relative
 * to it — the `tracking` table, which the workflow service keeps in the transaction of every
 * move (see the migration that creates it for why it is maintained rather than computed).
 */

export interface TrackingFilter {
  status?: TrackingStatus;
  category?: Category;
  q?: string;
  /** Supervising agency in this subtree (an agencies.path), or exactly this agency. */
  supervisingPath?: string;
  supervisingAgencyId?: number;
  /** Waiting at this agency now. */
  currentAgencyId?: number;
  /** Only the systems a statistics figure of this census bucket counts (data/census.ts). */
  census?: CensusBucket;
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

/** 信息追踪's free text: the system's name, and its enterprise's name and credit code. */
const SYSTEM_TEXT: SearchedTable = {
  table: 'production_systems',
  alias: 'ps',
  id: 'id',
  text: 'lower(name)',
  enterpriseId: 'enterprise_id',
};

export function trackingRepo(db: Knex | Knex.Transaction) {
  /** The agency's tracking rows with the filters applied (narrow: what filtering and order need). */
  function filtered(agencyId: number, f: TrackingFilter): Knex.QueryBuilder {
    const q = db('tracking as t').where('t.agency_id', agencyId);
    if (f.status) q.where('t.status', f.status);
    if (f.category) q.where('t.category', f.category);
    const bySystem =
      f.q || f.census || f.currentAgencyId !== undefined || f.supervisingAgencyId !== undefined;
    if (bySystem || f.supervisingPath) q.join('production_systems as ps', 'ps.id', 't.system_id');
    if (f.q) whereTextOrEnterprise(q, SYSTEM_TEXT, f.q);
    if (f.census) q.whereRaw(`${censusBucketSql('ps')} = ?`, [f.census]);
    if (f.currentAgencyId !== undefined) q.where('ps.current_agency_id', f.currentAgencyId);
    if (f.supervisingAgencyId !== undefined) q.where('ps.supervising_agency_id', f.supervisingAgencyId);
    if (f.supervisingPath)
      q.join('agencies as sa', 'sa.id', 'ps.supervising_agency_id').where(
        'sa.path',
        'like',
        prefixPattern(f.supervisingPath),
      );
    return q;
  }

  /** Tracking rows (a derived table `t`) with what the list shows. */
  function withDetails(rows: Knex.QueryBuilder, agencyId: number): Knex.QueryBuilder {
    return db
      .from(rows.as('t'))
      .join('production_systems as ps', 'ps.id', 't.system_id')
      .join('enterprises as e', 'e.id', 'ps.enterprise_id')
      .leftJoin('agencies as cur', 'cur.id', 'ps.current_agency_id')
      .joinRaw('JOIN agencies me ON me.id = ?', [agencyId])
      .select(
        'ps.id',
        'ps.name',
        'ps.category',
        'ps.state',
        'ps.arrival',
        'ps.latest_version',
        'ps.stored_version',
        'ps.state_changed_at',
        'cur.name as current_agency_name',
        't.status',
        'e.name as enterprise_name',
        'e.credit_code',
        't.last_action as my_action',
        't.last_action_to_state as my_action_to_state',
        't.last_action_at as my_action_at',
        db.raw(`EXISTS (SELECT 1 FROM stored_systems ss JOIN agencies sa ON sa.id = ss.supervising_agency_id
                         WHERE ss.system_id = ps.id AND starts_with(sa.path, me.path)) as stored_visible`),
      );
  }

  /** The latest movement first: what changed most recently is what the agency wants to see. */
  const NEWEST_FIRST = [
    { column: 't.state_changed_at', order: 'desc' as const },
    { column: 't.system_id', order: 'desc' as const },
  ];

  return {
    /** How many of the agency's tracked systems have each status (other filters applied). */
    statusCounts: async (
      agencyId: number,
      f: Omit<TrackingFilter, 'status'>,
    ): Promise<Map<string, number>> => {
      const rows: { status: string | null; count: number }[] = await filtered(agencyId, f)
        .select('t.status')
        .count({ count: '*' })
        .groupBy('t.status');
      return new Map(rows.map((r) => [r.status ?? '', Number(r.count)]));
    },

    page: (agencyId: number, f: TrackingFilter, limit: number, offset: number): Promise<TrackingRow[]> =>
      withDetails(
        filtered(agencyId, f).select('t.*').orderBy(NEWEST_FIRST).limit(limit).offset(offset),
        agencyId,
      ).orderBy(NEWEST_FIRST),

    /** One system the agency acted on, or undefined (not acted on: not its business). */
    one: (agencyId: number, systemId: number): Promise<TrackingRow | undefined> =>
      withDetails(db('tracking').where({ agency_id: agencyId, system_id: systemId }), agencyId).first(),

    /**
     * A move of the system: the acting agency's latest action (an enterprise's is not tracked),
     * then every tracker's status — by its place on the chain, or the off-chain status.
     */
    async follow(move: {
      systemId: number;
      category: Category;
      at: Date;
      actor: { agencyId: number; action: HistoryAction; toState: WorkflowState } | null;
      statuses: ChainStatuses;
    }): Promise<void> {
      const { systemId, at, actor, statuses } = move;
      if (actor)
        await db('tracking')
          .insert({
            agency_id: actor.agencyId,
            system_id: systemId,
            category: move.category,
            state_changed_at: at,
            last_action: actor.action,
            last_action_to_state: actor.toState,
            last_action_at: at,
          })
          .onConflict(['agency_id', 'system_id'])
          .merge(['last_action', 'last_action_to_state', 'last_action_at']);
      await db.raw(
        `UPDATE tracking t
            SET state_changed_at = ?,
                status = COALESCE((SELECT c.status FROM json_to_recordset(?::json) AS c (agency_id int, status text)
                                    WHERE c.agency_id = t.agency_id), ?::text)
          WHERE t.system_id = ?`,
        [
          at,
          JSON.stringify(statuses.onChain.map(([agency_id, status]) => ({ agency_id, status }))),
          statuses.offChain,
          systemId,
        ],
      );
    },
  };
}
