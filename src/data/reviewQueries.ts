import type { Knex } from 'knex';
import { containsPattern, prefixPattern } from './textSearch';
import type { EnterpriseRow } from './enterprises';
import type { Arrival } from '../domain/workflow';
import type { Category } from '../domain/systems';
import type { CensusBucket } from '../domain/stats';
import { censusBucketSql } from './census';
import { agencyMaySeeSql } from './jurisdiction';

/** What the 待审核 list can be narrowed by; every filter is optional. */
export interface PendingFilters {
  arrival?: Arrival;
  category?: Category;
  /** Supervising agency in this subtree (an agencies.path prefix). */
  supervisingPathPrefix?: string;
  /** Supervising agency exactly this one (the agency's own directly supervised enterprises). */
  supervisingAgencyId?: number;
  /** Text in the system's or enterprise's name or the credit code. */
  text?: string;
  /** Only the systems a statistics figure of this census bucket counts (data/census.ts). */
  census?: CensusBucket;
  /** Only the overdue: arrived before this moment (domain/campaign.ts overdueCutoff of the agency's level). */
  arrivedBefore?: Date;
}

export type PendingSort = 'due' | 'waiting' | 'recent' | 'name' | 'enterprise';

export interface PendingRow {
  id: number;
  name: string;
  category: Category;
  arrival: Arrival;
  state_changed_at: Date;
  workflow_seq: number;
  latest_version: number;
  /** Set while a 变更 of a stored system is pending (the version it would replace). */
  stored_version: number | null;
  enterprise_name: string;
  credit_code: string;
  region_name: string | null;
  supervising_agency_name: string;
}

/** The enterprise's current 企业基本信息 (what a version freezes), with its region's name. */
export type EnterpriseSummaryRow = Pick<
  EnterpriseRow,
  | 'id'
  | 'name'
  | 'credit_code'
  | 'economic_type'
  | 'affiliation'
  | 'parent_group'
  | 'legal_rep'
  | 'safety_head'
  | 'contact_name'
  | 'contact_phone'
  | 'contact_mobile'
  | 'email'
  | 'address'
  | 'postcode'
  | 'region_code'
  | 'supervising_agency_id'
  | 'ownerless'
> & { region_name: string | null };

/** Each order as [column in the page query, its name in the outer query, direction]. */
const ORDER: Record<PendingSort, readonly (readonly [string, string, 'asc' | 'desc'])[]> = {
  // At one agency every item has the same level's limit, and due days grow with arrival days:
  // the due-date order is the arrival order. The partial index production_systems_pending
  // serves these waiting-time orders directly.
  due: [
    ['ps.state_changed_at', 'p.state_changed_at', 'asc'],
    ['ps.id', 'p.id', 'asc'],
  ],
  waiting: [
    ['ps.state_changed_at', 'p.state_changed_at', 'asc'],
    ['ps.id', 'p.id', 'asc'],
  ],
  recent: [
    ['ps.state_changed_at', 'p.state_changed_at', 'desc'],
    ['ps.id', 'p.id', 'desc'],
  ],
  name: [
    ['ps.name', 'p.name', 'asc'],
    ['ps.id', 'p.id', 'asc'],
  ],
  enterprise: [
    ['e.name', 'p.enterprise_name', 'asc'],
    ['ps.name', 'p.name', 'asc'],
    ['ps.id', 'p.id', 'asc'],
  ],
};

/**
 * The queries of the review pages. The pending list always starts from
 * `state = 'pending' AND current_agency_id = ?`, the partial index production_systems_pending,
 * so its cost is bounded by what is waiting at one agency, however large the country.
 */
export function reviewQueries(db: Knex | Knex.Transaction) {
  /** The pending rows of one agency with the filters applied; joins only what a filter needs. */
  function pendingBase(agencyId: number, f: PendingFilters, withEnterprise: boolean): Knex.QueryBuilder {
    const q = db('production_systems as ps')
      .where('ps.state', 'pending')
      .andWhere('ps.current_agency_id', agencyId);
    if (f.arrival) q.andWhere('ps.arrival', f.arrival);
    if (f.category) q.andWhere('ps.category', f.category);
    if (f.census) q.whereRaw(`${censusBucketSql('ps')} = ?`, [f.census]);
    if (f.arrivedBefore) q.andWhere('ps.state_changed_at', '<', f.arrivedBefore);
    if (f.supervisingAgencyId !== undefined) q.andWhere('ps.supervising_agency_id', f.supervisingAgencyId);
    if (f.supervisingPathPrefix !== undefined)
      q.whereExists(
        db('agencies as sa')
          .select(db.raw('1'))
          .whereRaw('sa.id = ps.supervising_agency_id')
          .andWhere('sa.path', 'like', prefixPattern(f.supervisingPathPrefix)),
      );
    if (withEnterprise || f.text) q.join('enterprises as e', 'e.id', 'ps.enterprise_id');
    if (f.text) {
      const like = containsPattern(f.text);
      q.andWhere((w) =>
        w
          .where('ps.name', 'ilike', like)
          .orWhere('e.name', 'ilike', like)
          .orWhere('e.credit_code', 'ilike', like),
      );
    }
    return q;
  }

  return {
    /** How many match, per arrival (one grouped count: the tabs and the total at once). */
    async pendingCounts(agencyId: number, f: PendingFilters): Promise<Record<Arrival, number>> {
      const rows: { arrival: Arrival; count: string | number }[] = await pendingBase(agencyId, f, false)
        .groupBy('ps.arrival')
        .select('ps.arrival', db.raw('count(*) as count'));
      const counts: Record<Arrival, number> = {
        enterprise_submitted: 0,
        lower_submitted: 0,
        upper_returned: 0,
      };
      for (const r of rows) counts[r.arrival] = Number(r.count);
      return counts;
    },

    /**
     * One page of the list. The page is chosen first from the pending rows alone (the index,
     * plus enterprises for names), and only its 20 rows are then joined to their version's
     * region and the supervising agency: a sort by name never drags every row through them.
     */
    pendingPage(
      agencyId: number,
      f: PendingFilters,
      sort: PendingSort,
      limit: number,
      offset: number,
    ): Promise<PendingRow[]> {
      const page = pendingBase(agencyId, f, true)
        .select(
          'ps.id',
          'ps.name',
          'ps.category',
          'ps.arrival',
          'ps.state_changed_at',
          'ps.workflow_seq',
          'ps.latest_version',
          'ps.stored_version',
          'ps.supervising_agency_id',
          'e.name as enterprise_name',
          'e.credit_code',
          'e.region_code as enterprise_region_code',
        )
        .limit(limit)
        .offset(offset);
      for (const [column, , direction] of ORDER[sort]) page.orderBy(column, direction);
      const q = db
        .with('p', page)
        .from('p')
        .join('agencies as sup', 'sup.id', 'p.supervising_agency_id')
        .leftJoin('system_versions as v', (j) =>
          j.on('v.system_id', '=', 'p.id').andOn('v.version', '=', 'p.latest_version'),
        )
        .leftJoin('regions as rs', (j) => j.on('rs.code', '=', db.raw("v.data->>'region_code'")))
        .leftJoin('regions as re', 're.code', 'p.enterprise_region_code')
        .select(
          'p.id',
          'p.name',
          'p.category',
          'p.arrival',
          'p.state_changed_at',
          'p.workflow_seq',
          'p.latest_version',
          'p.stored_version',
          'p.enterprise_name',
          'p.credit_code',
          db.raw('coalesce(rs.full_name, re.full_name) as region_name'),
          'sup.name as supervising_agency_name',
        );
      for (const [, column, direction] of ORDER[sort]) q.orderBy(column, direction);
      return q;
    },

    /** The enterprise as the detail page shows it, with its region's full name. */
    enterpriseSummary: (enterpriseId: number): Promise<EnterpriseSummaryRow | undefined> =>
      db('enterprises as e')
        .leftJoin('regions as r', 'r.code', 'e.region_code')
        .where('e.id', enterpriseId)
        .first(
          'e.id',
          'e.name',
          'e.credit_code',
          'e.economic_type',
          'e.affiliation',
          'e.parent_group',
          'e.legal_rep',
          'e.safety_head',
          'e.contact_name',
          'e.contact_phone',
          'e.contact_mobile',
          'e.email',
          'e.address',
          'e.postcode',
          'e.region_code',
          'e.supervising_agency_id',
          'e.ownerless',
          'r.full_name as region_name',
        ),

    /** The full name of a region code, or undefined. */
    regionFullName: async (code: string): Promise<string | undefined> =>
      (await db('regions').where({ code }).first('full_name'))?.full_name,

    /** Full names of region codes (those that exist). */
    async regionFullNames(codes: readonly string[]): Promise<Map<string, string>> {
      if (!codes.length) return new Map();
      const rows: { code: string; full_name: string }[] = await db('regions')
        .whereIn('code', codes as string[])
        .select('code', 'full_name');
      return new Map(rows.map((r) => [r.code, r.full_name]));
    },

    /**
     * Names of those of `ids` this agency may see (data/jurisdiction.ts). Used to report a bulk
     * action without naming anything outside the agency's jurisdiction.
     */
    visibleNames: async (agencyId: number, ids: readonly number[]): Promise<Map<number, string>> => {
      if (!ids.length) return new Map();
      const rows: { id: number; name: string }[] = await db('production_systems as ps')
        .whereIn('ps.id', ids as number[])
        .andWhere(agencyMaySeeSql(db, agencyId))
        .select('ps.id', 'ps.name');
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}
