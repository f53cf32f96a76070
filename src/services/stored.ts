import type { Knex } from 'knex';
import { regulatorAgency } from './agencyAccess';
import { lastPageClamp } from '../domain/paging';
import type { Writable } from 'node:stream';
import {
  appliesTo,
  categories,
  categoryByCode,
  STORED_QUERY_FIELDS,
  type Category,
  type Option,
  type QueryField,
  type SystemData,
} from '../domain/systems';
import type { WorkflowState } from '../domain/workflow';
import { pathCodes, type AgencyLevel } from '../domain/orgTree';
import { NotFound } from '../domain/errors';
import { orgRepo, type AgencyRow, type NamedAgencyRow } from '../data/org';
import { exportFileName } from '../domain/exportName';
import { scopeLabel } from '../domain/stats';
import {
  LICENCE_EXPIRIES,
  LICENCE_EXPIRY_LABELS,
  licenceWindow,
  type LicenceExpiry,
} from '../domain/licence';
import { enterprisesRepo } from '../data/enterprises';
import { historyOf, type HistoryEntry } from './history';
import { versionEnterpriseFacts, type EnterpriseFacts } from './enterpriseFacts';
import {
  storedRepo,
  type ExportKey,
  type SortDir,
  type StoredExportRow,
  type StoredFilter,
  type StoredListRow,
  type StoredSortKey,
} from '../data/stored';
import { countBound, matchCount, type MatchCount } from '../domain/matchCount';
import { writeStoredWorkbook } from './storedWorkbook';
import type { ServiceDeps } from './deps';
import type { CurrentUser } from './session';

export const STORED_PAGE_SIZE = 20;
const EXPORT_BATCH = 500;

// ---------------------------------------------------------------------------------------------
// The query of the list (parsed from the URL by routes/queryParsers.ts).

/** The drill-down selects, named by the depth of the agency tree they choose at. */
export const REGION_PARAMS = ['province', 'city', 'county'] as const;
export type RegionParam = (typeof REGION_PARAMS)[number];

/** The enumerated filters, as the category definitions declare them (domain/systems `query`). */
export const ENUM_FILTERS: Readonly<Record<string, QueryField>> = Object.fromEntries(
  STORED_QUERY_FIELDS.filter((f) => f.type === 'enum').map((f) => [f.code, f]),
);
export type EnumFilter = string;
export const ENUM_FILTER_KEYS: readonly EnumFilter[] = Object.keys(ENUM_FILTERS);

export const OVERHEAD_OPTIONS: readonly Option[] = [
  { value: 'yes', label: '是' },
  { value: 'no', label: '否' },
];
export const LICENCE_OPTIONS: readonly Option[] = LICENCE_EXPIRIES.map((value) => ({
  value,
  label: LICENCE_EXPIRY_LABELS[value],
}));
/** Whether a category-bound filter means anything with the chosen category. */
export function filterApplies(key: string, category: Category | undefined): boolean {
  const field = STORED_QUERY_FIELDS.find((f) => f.code === key);
  return field !== undefined && appliesTo(field, category);
}

export interface StoredQuery {
  /** Filters ignored because their value was not understood (routes/queryParsers.ts). */
  notUnderstood: string[];
  region: Partial<Record<RegionParam, string>>;
  /** `region=<agency code>` (links from 统计分析): the drill-down down to that agency. */
  regionCode?: string;
  category?: Category;
  enums: Readonly<Record<EnumFilter, string>>;
  overhead?: 'yes' | 'no';
  licence?: LicenceExpiry;
  /** `direct=1`: only what the chosen region's agency supervises itself, not its subordinates. */
  direct?: boolean;
  q?: string;
  sort: StoredSortKey;
  dir: SortDir;
  page: number;
}

// ---------------------------------------------------------------------------------------------
// Region drill-down over the agency tree below the user's agency.

export interface RegionOption {
  code: string;
  label: string;
}

export interface RegionSelect {
  param: RegionParam;
  label: string;
  options: RegionOption[];
  /** The chosen option's code, or '' for 全部. */
  selected: string;
}

const KIND_LABELS: Partial<Record<AgencyLevel, string>> = { province: '省份', city: '地市', county: '区县' };
const OFFSHORE_LABELS: Record<number, string> = { 2: '分部', 3: '监督处' };

/** 省份 / 地市 / 区县 / 分部 / 监督处, or several of them where the tree is irregular (湖北: 地市/区县). */
function selectLabel(children: readonly NamedAgencyRow[]): string {
  const kinds = new Set<string>();
  for (const c of children) {
    const kind = c.level === 'offshore' ? OFFSHORE_LABELS[c.depth] : KIND_LABELS[c.level];
    if (kind) kinds.add(kind);
  }
  return [...kinds].join('/') || '下级单位';
}

/** A child's name as a select shows it: its region (浙江省), or the office's own name. */
function childLabel(c: NamedAgencyRow): string {
  return c.region_name ?? c.name.replace(/^国家安全监管总局/, '').replace(/安全生产监督管理局$/, '');
}

// ---------------------------------------------------------------------------------------------

/** A stored system as 已入库信息查询 lists it (its stored version's data for the key figure). */
export interface StoredItem {
  systemId: number;
  version: number;
  storedAt: Date;
  category: Category;
  name: string;
  enterpriseName: string;
  regionName: string | null;
  agencyName: string;
  state: WorkflowState;
  data: SystemData;
}

const storedItem = (r: StoredListRow): StoredItem => ({
  systemId: r.system_id,
  version: r.version,
  storedAt: r.stored_at,
  category: r.category,
  name: r.name,
  enterpriseName: r.enterprise_name,
  regionName: r.region_name,
  agencyName: r.agency_name,
  state: r.state,
  data: r.data,
});

export interface StoredList {
  query: StoredQuery;
  regionSelects: RegionSelect[];
  /** The region the results lie under has subordinate agencies (so `direct` narrows it). */
  scopeHasChildren: boolean;
  /** The rows found; a text search's count stops at its bound (domain/matchCount.ts). */
  total: MatchCount;
  page: number;
  pageSize: number;
  rows: StoredItem[];
}

export interface StoredDetail {
  system: StoredItem;
  /** As the stored version froze it; the enterprise's current facts for versions from before. */
  enterprise: EnterpriseFacts;
  systemRegionName: string | null;
  history: HistoryEntry[];
}

export interface StoredExport {
  filename: string;
  write(out: Writable): Promise<void>;
  /** What the export's audit row records: the scope, the filters set and the rows counted. */
  audit: { scope: string; filters: Record<string, unknown>; rows: number };
}

const categoryOrder = categories.map((c) => c.code);

/** The filters of an export as its audit row records them: those set, without paging or order. */
function exportFilters(query: StoredQuery): Record<string, unknown> {
  const { notUnderstood: _n, page: _p, sort: _s, dir: _d, ...filters } = query;
  return Object.fromEntries(
    Object.entries(filters).filter(
      ([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0),
    ),
  );
}

export function storedService(knex: Knex, deps: ServiceDeps) {
  void deps;
  const repo = storedRepo(knex);
  const org = orgRepo(knex);

  /**
   * The drill-down: one select per level below the user's agency, each shown once its parent
   * is chosen. A choice that is not a child of the level above (a stale city after the province
   * changed) ends the drill-down there. Returns the selects and the agency the results lie under.
   */
  async function drillDown(
    home: AgencyRow,
    query: Pick<StoredQuery, 'region' | 'regionCode'>,
  ): Promise<{ selects: RegionSelect[]; scope: AgencyRow }> {
    const chosen = await chosenRegions(home, query);
    const selects: RegionSelect[] = [];
    let scope = home;
    for (let depth = home.depth + 1; depth <= REGION_PARAMS.length; depth++) {
      const children = await org.namedChildrenOf(scope.id);
      if (children.length === 0) break;
      const param = REGION_PARAMS[depth - 1];
      const picked = children.find((c) => c.code === chosen[param]);
      selects.push({
        param,
        label: selectLabel(children),
        options: children.map((c) => ({ code: c.code, label: childLabel(c) })),
        selected: picked?.code ?? '',
      });
      if (!picked) break;
      scope = picked;
    }
    return { selects, scope };
  }

  /** The drill-down choices, from `region=<agency code>` when given (an agency below home). */
  async function chosenRegions(
    home: AgencyRow,
    query: Pick<StoredQuery, 'region' | 'regionCode'>,
  ): Promise<StoredQuery['region']> {
    if (!query.regionCode) return query.region;
    const target = await orgRepo(knex).agencyByCode(query.regionCode);
    if (!target || !target.path.startsWith(home.path)) return query.region;
    const codes = pathCodes(target.path);
    const chosen: StoredQuery['region'] = {};
    for (let depth = home.depth + 1; depth <= Math.min(target.depth, REGION_PARAMS.length); depth++)
      chosen[REGION_PARAMS[depth - 1]] = codes[depth];
    return chosen;
  }

  async function filterOf(query: StoredQuery, scope: AgencyRow, now: Date): Promise<StoredFilter> {
    return {
      agencyIds: query.direct ? [scope.id] : await repo.subtreeIds(scope.path),
      category: query.category,
      enums: query.enums,
      overhead: query.overhead === undefined ? undefined : query.overhead === 'yes',
      licence: query.licence && { expiry: query.licence, window: licenceWindow(now) },
      q: query.q,
    };
  }

  /** Which sheets an export writes: the categories present, or (none at all) those asked for. */
  function sheetCategories(counts: Map<string, number>, query: StoredQuery): Category[] {
    const present = categoryOrder.filter((c) => (counts.get(c) ?? 0) > 0);
    if (present.length) return present;
    return query.category ? [query.category] : [...categoryOrder];
  }

  async function* batches(filter: StoredFilter, category: Category): AsyncGenerator<StoredExportRow[]> {
    let after: ExportKey | null = null;
    for (;;) {
      const rows = await repo.exportBatch({ ...filter, category }, after, EXPORT_BATCH);
      if (rows.length) yield rows;
      if (rows.length < EXPORT_BATCH) return;
      const last = rows[rows.length - 1];
      after = { region_key: last.region_key, name: last.name, system_id: last.system_id };
    }
  }

  return {
    async list(user: CurrentUser, query: StoredQuery, now: Date = new Date()): Promise<StoredList> {
      const { selects, scope } = await drillDown(await regulatorAgency(knex, user), query);
      const filter = await filterOf(query, scope, now);
      const bound = countBound(query.q);
      const total = matchCount(await repo.count(filter, bound === null ? null : bound + 1), bound);
      const { page, offset } = lastPageClamp(query.page, total.count, STORED_PAGE_SIZE);
      const rows = total.count
        ? await repo.page(filter, { key: query.sort, dir: query.dir }, STORED_PAGE_SIZE, offset)
        : [];
      return {
        query: { ...query, page },
        regionSelects: selects,
        scopeHasChildren: selects.length > 0 && selects[selects.length - 1].selected === '',
        total,
        page,
        pageSize: STORED_PAGE_SIZE,
        rows: rows.map(storedItem),
      };
    },

    /** The stored version of a system in the user's subtree; anything else does not exist. */
    async detail(user: CurrentUser, systemId: number): Promise<StoredDetail> {
      if (!Number.isSafeInteger(systemId) || systemId < 1) throw new NotFound();
      const home = await regulatorAgency(knex, user);
      const system = await repo.detail(systemId, home.path);
      if (!system) throw new NotFound();
      const enterprise = await enterprisesRepo(knex).byId(system.enterprise_id);
      if (!enterprise) throw new NotFound();
      const regionCode = typeof system.data.region_code === 'string' ? system.data.region_code : null;
      const [enterpriseRegion, enterpriseAgency, systemRegion, history] = await Promise.all([
        org.regionByCode(enterprise.region_code),
        org.agencyById(enterprise.supervising_agency_id),
        regionCode ? org.regionByCode(regionCode) : Promise.resolve(undefined),
        historyOf(knex, systemId),
      ]);
      return {
        system: storedItem(system),
        enterprise: versionEnterpriseFacts(system.frozen_enterprise, enterprise, {
          regionName: enterpriseRegion?.full_name ?? null,
          agencyName: enterpriseAgency?.name ?? null,
        }),
        systemRegionName: systemRegion?.full_name ?? null,
        history,
      };
    },

    /**
     * Checks the query and counts the sheets before anything is sent, so that a bad query is
     * still an error page; `write` then streams the workbook batch by batch.
     */
    async prepareExport(user: CurrentUser, query: StoredQuery, today = new Date()): Promise<StoredExport> {
      const { scope } = await drillDown(await regulatorAgency(knex, user), query);
      const filter = await filterOf(query, scope, today);
      const counts = await repo.categoryCounts(filter);
      const sheets = sheetCategories(counts, query);
      const region = scope.region_code ? await org.regionByCode(scope.region_code) : undefined;
      const category = query.category ? (categoryByCode(query.category)?.label ?? query.category) : '';
      return {
        audit: {
          scope: scope.code,
          filters: exportFilters(query),
          rows: [...counts.values()].reduce((a, b) => a + b, 0),
        },
        filename: exportFileName('已入库信息', scopeLabel(scope, region?.name ?? null), [category], today),
        write: (out) =>
          writeStoredWorkbook(
            out,
            sheets.map((category) => ({ category, batches: () => batches(filter, category) })),
          ),
      };
    },
  };
}

export type StoredService = ReturnType<typeof storedService>;
