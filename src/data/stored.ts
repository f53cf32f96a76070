import type { Knex } from 'knex';
import type { FrozenEnterprise } from '../domain/enterprise';
import { STORED_QUERY_FIELDS, type Category, type SystemData } from '../domain/systems';
import type { WorkflowState } from '../domain/workflow';
import type { LicenceExpiry, LicenceWindow } from '../domain/licence';
import { prefixPattern, whereTextOrEnterprise, type SearchedTable } from './textSearch';
import { whereLicenceExpiry } from './licence';

/**
 * 已入库信息查询 over `stored_systems` (see its migration): the filterable fields of each
 * system's STORED version, kept in step with storing by refresh_stored_systems().
 */

export type StoredSortKey = 'stored' | 'name' | 'category' | 'region';
export type SortDir = 'asc' | 'desc';

export interface StoredFilter {
  /**
   * The supervising agencies results may have — the subtree of the user's agency or of the
   * drill-down's choice (see `subtreeIds`); null for every agency (the national root).
   */
  agencyIds: readonly number[] | null;
  category?: Category;
  /** Enumerated filters by field code (each a stored_systems column, domain/systems `query`). */
  enums?: Readonly<Record<string, string>>;
  overhead?: boolean;
  /** Licences of one expiry class as of the window (domain/licence.ts). */
  licence?: { expiry: LicenceExpiry; window: LicenceWindow };
  q?: string;
}

export interface StoredSort {
  key: StoredSortKey;
  dir: SortDir;
}

export interface StoredListRow {
  system_id: number;
  version: number;
  stored_at: Date;
  category: Category;
  name: string;
  enterprise_id: number;
  enterprise_name: string;
  region_name: string | null;
  agency_name: string;
  state: WorkflowState;
  data: SystemData;
}

export interface StoredExportRow extends StoredListRow {
  credit_code: string;
  /** The keyset of the export order, handed back for the next batch. */
  region_key: string;
}

export interface ExportKey {
  region_key: string;
  name: string;
  system_id: number;
}

export interface StoredDetailRow extends StoredListRow {
  latest_version: number;
  supervising_agency_id: number;
  /** The enterprise as the stored version froze it (null for versions from before). */
  frozen_enterprise: FrozenEnterprise | null;
}

const REGION_KEY = `coalesce(ss.region_code, '')`;

/** 已入库's free text: the stored row's name and licence numbers, and its enterprise's. */
const STORED_TEXT: SearchedTable = {
  table: 'stored_systems',
  alias: 'ss',
  id: 'system_id',
  text: 'search_text',
  enterpriseId: 'enterprise_id',
};

export function storedRepo(db: Knex | Knex.Transaction) {
  /** stored_systems in scope, with every filter applied; joins only what filtering needs. */
  function filtered(f: StoredFilter): Knex.QueryBuilder {
    const q = db('stored_systems as ss');
    // The ids as one array parameter: the planner sees how many and picks the agency index
    // (a county, a city) or a scan (a large province) accordingly.
    if (f.agencyIds !== null) q.whereRaw('ss.supervising_agency_id = ANY (?::integer[])', [[...f.agencyIds]]);
    if (f.category) q.where('ss.category', f.category);
    for (const field of STORED_QUERY_FIELDS) {
      const value = field.type === 'enum' ? f.enums?.[field.code] : undefined;
      if (value !== undefined) q.where(`ss.${field.code}`, value);
    }
    if (f.overhead !== undefined) q.where('ss.overhead', f.overhead);
    if (f.licence)
      whereLicenceExpiry(
        q,
        { sql: 'ss.safety_license_expires', type: 'date' },
        f.licence.expiry,
        f.licence.window,
      );
    if (f.q) whereTextOrEnterprise(q, STORED_TEXT, f.q);
    return q;
  }

  /** The columns a list or export row shows; `data` is the stored version's frozen data. */
  function withDetails(q: Knex.QueryBuilder): Knex.QueryBuilder {
    return q
      .join('system_versions as v', function () {
        this.on('v.system_id', 'ss.system_id').andOn('v.version', 'ss.version');
      })
      .join('enterprises as e', 'e.id', 'ss.enterprise_id')
      .join('agencies as sa', 'sa.id', 'ss.supervising_agency_id')
      .join('production_systems as ps', 'ps.id', 'ss.system_id')
      .leftJoin('regions as r', 'r.code', 'ss.region_code')
      .select(
        'ss.system_id',
        'ss.version',
        'ss.stored_at',
        'ss.category',
        'ss.name',
        'ss.enterprise_id',
        'e.name as enterprise_name',
        'e.credit_code',
        'r.full_name as region_name',
        'sa.name as agency_name',
        'ps.state',
        'v.data',
      );
  }

  return {
    /** The agencies under the one with this path (itself included); null when that is all of them. */
    async subtreeIds(path: string): Promise<number[] | null> {
      // '/000000/' is the national root: every agency lies under it.
      if (/^\/[^/]+\/$/.test(path)) return null;
      return db('agencies')
        .whereRaw('path LIKE ?', [prefixPattern(path)])
        .pluck('id');
    },

    /** Re-reads the given systems' stored versions; call in the transaction that stores them. */
    refresh: async (systemIds: readonly number[]): Promise<void> => {
      await db.raw('SELECT refresh_stored_systems(?::integer[])', [[...systemIds]]);
    },
    /** Rebuilds every row (after bulk loads that bypass the workflow, e.g. generated data). */
    refreshAll: async (): Promise<void> => {
      await db.raw('SELECT refresh_stored_systems(NULL)');
    },

    /**
     * How many rows the filter finds; with `upTo`, at most that many are read (the count of a
     * large text match stops there instead of visiting every match).
     */
    count: async (f: StoredFilter, upTo: number | null = null): Promise<number> => {
      const q: Knex.QueryBuilder =
        upTo === null ? filtered(f) : db.from(filtered(f).select(db.raw('1')).limit(upTo).as('m'));
      const row = await q.count<{ count: number }[]>('* as count').first();
      return Number(row?.count ?? 0);
    },

    page(f: StoredFilter, sort: StoredSort, limit: number, offset: number): Promise<StoredListRow[]> {
      const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
      const order: Record<StoredSortKey, string> = {
        stored: `ss.stored_at ${dir}, ss.system_id ${dir}`,
        name: `ss.name ${dir}, ss.system_id ${dir}`,
        region: `${REGION_KEY} ${dir}, ss.name ${dir}, ss.system_id ${dir}`,
        category: `ss.category_rank ${dir}, ss.name ${dir}, ss.system_id ${dir}`,
      };
      // The page's rows first, on stored_systems alone; the details for those rows only, so
      // that a deep OFFSET skips narrow index entries rather than joined rows.
      const rows = filtered(f).select('ss.*').orderByRaw(order[sort.key]).limit(limit).offset(offset);
      return withDetails(db.from(rows.as('ss'))).orderByRaw(order[sort.key]);
    },

    /** How many rows each category has in the filtered set (the export's sheets). */
    categoryCounts: async (f: StoredFilter): Promise<Map<string, number>> => {
      const rows: { category: string; count: number }[] = await filtered(f)
        .groupBy('ss.category')
        .select('ss.category')
        .count('* as count');
      return new Map(rows.map((r) => [r.category, Number(r.count)]));
    },

    /** One batch of a category's rows for the export, in (region, name, id) keyset order. */
    exportBatch(
      f: StoredFilter & { category: Category },
      after: ExportKey | null,
      limit: number,
    ): Promise<StoredExportRow[]> {
      const q = withDetails(filtered(f))
        .select(db.raw(`${REGION_KEY} as region_key`))
        .orderByRaw(`${REGION_KEY}, ss.name, ss.system_id`)
        .limit(limit);
      if (after)
        q.whereRaw(`(${REGION_KEY}, ss.name, ss.system_id) > (?, ?, ?)`, [
          after.region_key,
          after.name,
          after.system_id,
        ]);
      return q;
    },

    /** A stored system, if its stored version's supervising agency lies under `scopePath`. */
    detail: (systemId: number, scopePath: string): Promise<StoredDetailRow | undefined> =>
      withDetails(db('stored_systems as ss'))
        .where('ss.system_id', systemId)
        .whereRaw('starts_with(sa.path, ?)', [scopePath])
        .select('ps.latest_version', 'ss.supervising_agency_id', 'v.enterprise as frozen_enterprise')
        .first(),
  };
}

export type StoredRepo = ReturnType<typeof storedRepo>;
