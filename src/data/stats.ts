import type { Knex } from 'knex';
import { prefixPattern } from './textSearch';
import type { CensusGroup, SafetyGroup } from '../domain/stats';
import type { LicenceWindow } from '../domain/licence';
import { licenceExpirySql } from './licence';
import type { AgencyRow } from './org';
import type { AgencyLevel } from '../domain/orgTree';
import { overdueSql } from './overdue';

// 统计分析 aggregates, computed in SQL over the whole jurisdiction in one statement each (no
// per-region queries). A system belongs to the jurisdiction of its supervising agency; the
// child region it is counted under is the segment of that agency's path one level below the
// viewed agency: path '/000000/330000/330100/330106/' split on '/' gives '', '000000', '330000',
// … so the code at depth d is part d + 2, and the viewed agency's child is part depth + 3
// ('' when the viewed agency supervises the system itself). See migration 20261129002000.

/** One group of systems with the same census position, under one child of the scope. */
export interface CensusGroupRow extends CensusGroup {
  /** The scope's child the systems are counted under; '' for the scope's own. */
  childCode: string;
}

export function statsRepo(db: Knex | Knex.Transaction) {
  return {
    /**
     * Census positions of every system of the scope's subtree, counted per child of the scope.
     * First grouped by supervising and current agency (integers, from the covering index
     * production_systems_stats), then mapped to the child's code and the waiting agency's level:
     * a few hundred rows at most, classified by the pure domain rules.
     */
    async census(scope: AgencyRow): Promise<CensusGroupRow[]> {
      const { rows } = await db.raw<{ rows: CensusGroupRow[] }>(
        `SELECT split_part(a.path, '/', ?) AS "childCode", g.has_stored AS "hasStored", g.state, g.arrival,
                c.level AS "waitingLevel", c.depth AS "waitingDepth",
                sum(g.n)::int AS count, min(g.since) AS since
           FROM (SELECT ps.supervising_agency_id, ps.stored_version IS NOT NULL AS has_stored,
                        ps.state, ps.arrival, ps.current_agency_id,
                        count(*) AS n, min(ps.state_changed_at) AS since
                   FROM production_systems ps
                  WHERE ps.supervising_agency_id IN (SELECT id FROM agencies WHERE path LIKE ?)
                  GROUP BY 1, 2, 3, 4, 5) g
           JOIN agencies a ON a.id = g.supervising_agency_id
           LEFT JOIN agencies c ON c.id = g.current_agency_id
          GROUP BY 1, 2, 3, 4, 5, 6`,
        [scope.depth + 3, prefixPattern(scope.path)],
      );
      return rows;
    },

    /**
     * Overdue pending items waiting at agencies of the scope's subtree (data/overdue.ts, the one
     * predicate), per child of the scope (by supervising agency, as the census), per level of the
     * agency where they wait, and whether that agency is `viewerId` itself.
     */
    overdue: (
      scope: AgencyRow,
      viewerId: number,
      cutoffs: Readonly<Record<AgencyLevel, string>>,
    ): Promise<{ childCode: string; level: AgencyLevel; atViewer: boolean; count: number }[]> =>
      db('production_systems as ps')
        .join('agencies as cur', 'cur.id', 'ps.current_agency_id')
        .join('agencies as sup', 'sup.id', 'ps.supervising_agency_id')
        .where('cur.path', 'like', prefixPattern(scope.path))
        .where(overdueSql(db, cutoffs))
        .groupByRaw('1, 2, 3')
        .select(
          db.raw(`split_part(sup.path, '/', ?) AS "childCode"`, [scope.depth + 3]),
          'cur.level',
          db.raw('(cur.id = ?) AS "atViewer"', [viewerId]),
          db.raw('count(*)::int AS count'),
        ),

    /**
     * The stored systems of the scope's subtree, grouped by every field the safety figures
     * count, read from their stored versions (the generated stats_* columns of system_versions,
     * index-only through system_versions_stats). A few thousand groups nationally; the domain
     * folds them into the figures. Expiry dates are ISO text compared in the C collation.
     */
    async safety(scope: AgencyRow, window: LicenceWindow): Promise<SafetyGroup[]> {
      const [licence, licenceBindings] = licenceExpirySql(
        { sql: 'v.stats_licence_expires', type: 'text' },
        window,
      );
      const { rows } = await db.raw<{ rows: SafetyGroup[] }>(
        `SELECT v.category, v.stats_mineral AS mineral, v.stats_scale AS scale, v.stats_grade AS grade,
                v.stats_safety_degree AS "safetyDegree", v.stats_production_status AS "productionStatus",
                v.stats_overhead AS overhead,
                ${licence} AS licence,
                count(*)::int AS count, coalesce(sum(v.stats_downstream_people), 0) AS people
           FROM production_systems ps
           JOIN system_versions v ON v.system_id = ps.id AND v.version = ps.stored_version
          WHERE ps.stored_version IS NOT NULL
            AND ps.supervising_agency_id IN (SELECT id FROM agencies WHERE path LIKE ?)
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
        [...licenceBindings, prefixPattern(scope.path)],
      );
      return rows;
    },
  };
}
