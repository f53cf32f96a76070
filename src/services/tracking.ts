import type { Knex } from 'knex';
import { categories, type Category } from '../domain/systems';
import { TRACKING_STATUSES, type TrackingStatus } from '../domain/tracking';
import { queryReader } from './queryParams';
import { NotFound } from '../domain/errors';
import { trackingRepo, type TrackingFilter, type TrackingRow } from '../data/tracking';
import { systemsRepo, type VersionRow } from '../data/systems';
import { historyRepo, type HistoryListRow } from '../data/history';
import { orgRepo, type AgencyRow } from '../data/org';
import { statsRepo } from '../data/stats';
import {
  CENSUS_BUCKETS,
  REVIEW_LEVELS,
  reviewLevelOf,
  scopeLabel,
  type CensusBucket,
  type ReviewLevel,
} from '../domain/stats';
import type { ServiceDeps } from './deps';
import type { CurrentUser } from './session';

export const TRACKING_PAGE_SIZE = 20;
const MAX_TEXT = 50;

export interface TrackingQuery extends Pick<TrackingFilter, 'status' | 'category' | 'q' | 'census'> {
  /** An agency code in the viewer's subtree: systems supervised there (with `direct`: by it). */
  region?: string;
  direct?: boolean;
  /** Waiting at the viewer's own agency or its ancestor of this review level. */
  level?: ReviewLevel;
  page: number;
  /** Filters ignored because their value was not understood (services/queryParams.ts). */
  notUnderstood: string[];
}

/** Allow-lists the URL's query: an unknown status or category is ignored and named, a bad page is page 1. */
export function parseTrackingQuery(raw: Record<string, unknown>): TrackingQuery {
  const { str, oneOf, text, notUnderstood } = queryReader(raw);
  const status = oneOf<TrackingStatus>('status', TRACKING_STATUSES, '追踪状态');
  const category = oneOf<Category>(
    'category',
    categories.map((c) => c.code),
    '类别',
  );
  const q = text('q', MAX_TEXT);
  const page = Number.parseInt(str('page') ?? '', 10);
  const region = str('region');
  return {
    status: status as TrackingStatus | undefined,
    category: category as Category | undefined,
    q,
    region: region && /^[A-Za-z0-9-]{1,30}$/.test(region) ? region : undefined,
    direct: oneOf<'1'>('direct', ['1'], '本级直接监管') === '1' || undefined,
    level: oneOf<ReviewLevel>('level', REVIEW_LEVELS, '审核层级'),
    census: oneOf<CensusBucket>('census', CENSUS_BUCKETS, '统计口径'),
    page: Number.isSafeInteger(page) && page >= 1 && page <= 100000 ? page : 1,
    notUnderstood,
  };
}

export interface TrackingList {
  query: TrackingQuery;
  /** The direct children of the viewer's agency, for the region filter (its region's short name). */
  regions: { code: string; name: string }[];
  /** The agency the region filter names, when it is deeper than a child. */
  regionName: string | null;
  /** Per status (key '' for systems no longer on this agency's chain), ignoring the status filter. */
  statusCounts: Map<string, number>;
  total: number;
  page: number;
  pageSize: number;
  rows: TrackingRow[];
}

export interface TrackingDetail {
  item: TrackingRow;
  version: VersionRow | undefined;
  /** Full name of the region the latest version names (浙江省杭州市西湖区). */
  regionName: string | null;
  history: HistoryListRow[];
}

export function trackingService(knex: Knex, deps: ServiceDeps) {
  void deps;
  const repo = trackingRepo(knex);

  const org = orgRepo(knex);

  /**
   * The region and level filters as the data filter: a region outside the viewer's subtree is
   * ignored (and dropped from the query shown); a level names the agency of the viewer's chain
   * at that review level (domain/stats.ts reviewLevelOf), or no agency at all.
   */
  async function narrowingOf(
    me: AgencyRow,
    query: TrackingQuery,
  ): Promise<{ filter: Partial<TrackingFilter>; query: Partial<TrackingQuery>; regionName: string | null }> {
    const filter: Partial<TrackingFilter> = {};
    const shown: Partial<TrackingQuery> = { region: undefined, direct: undefined };
    let regionName: string | null = null;
    if (query.region || query.direct) {
      const target = !query.region || query.region === me.code ? me : await org.agencyByCode(query.region);
      if (target && target.path.startsWith(me.path)) {
        // The viewer's own code means what it supervises itself (as on 待审核).
        const direct = query.direct || target.id === me.id;
        if (direct) filter.supervisingAgencyId = target.id;
        else filter.supervisingPath = target.path;
        shown.region = target.code;
        shown.direct = query.direct && target.id !== me.id ? true : undefined;
        if (target.parent_id !== me.id && target.id !== me.id) {
          const region = target.region_code ? await org.regionByCode(target.region_code) : undefined;
          regionName = scopeLabel(target, region?.name ?? null);
        }
      }
    }
    if (query.level) {
      const chain = await org.chainOf(me.id);
      const at = chain.find((a) => reviewLevelOf(a.level, a.depth) === query.level);
      filter.currentAgencyId = at?.id ?? 0; // no agency has id 0: nothing waits there
    }
    return { filter, query: shown, regionName };
  }

  function agencyIdOf(user: CurrentUser): number {
    if (user.role !== 'regulator') throw new NotFound();
    return user.agencyId;
  }

  return {
    async list(user: CurrentUser, query: TrackingQuery): Promise<TrackingList> {
      const agencyId = agencyIdOf(user);
      const me = await org.agencyById(agencyId);
      if (!me) throw new NotFound();
      const [narrowing, children] = await Promise.all([
        narrowingOf(me, query),
        statsRepo(knex).childAgencies(me.id),
      ]);
      const filter: TrackingFilter = {
        category: query.category,
        q: query.q,
        census: query.census,
        ...narrowing.filter,
      };
      const statusCounts = await repo.statusCounts(agencyId, filter);
      const total = query.status
        ? (statusCounts.get(query.status) ?? 0)
        : [...statusCounts.values()].reduce((a, b) => a + b, 0);
      const page = Math.min(query.page, Math.max(1, Math.ceil(total / TRACKING_PAGE_SIZE)));
      const rows = total
        ? await repo.page(
            agencyId,
            { ...filter, status: query.status },
            TRACKING_PAGE_SIZE,
            (page - 1) * TRACKING_PAGE_SIZE,
          )
        : [];
      return {
        query: { ...query, ...narrowing.query, page },
        regions: children.length
          ? [
              { code: me.code, name: '本级直接监管' },
              ...children.map((c) => ({ code: c.code, name: scopeLabel(c, c.region_name) })),
            ]
          : [],
        regionName: narrowing.regionName,
        statusCounts,
        total,
        page,
        pageSize: TRACKING_PAGE_SIZE,
        rows,
      };
    },

    /** A system this agency approved or returned; any other id does not exist for it. */
    async detail(user: CurrentUser, systemId: number): Promise<TrackingDetail> {
      const agencyId = agencyIdOf(user);
      if (!Number.isSafeInteger(systemId) || systemId < 1) throw new NotFound();
      const item = await repo.one(agencyId, systemId);
      if (!item) throw new NotFound();
      const [version, history] = await Promise.all([
        systemsRepo(knex).version(systemId, item.latest_version),
        historyRepo(knex).forSystem(systemId),
      ]);
      const code = version?.data.region_code;
      const region = typeof code === 'string' ? await orgRepo(knex).regionByCode(code) : undefined;
      return { item, version, regionName: region?.full_name ?? null, history };
    },
  };
}

export type TrackingService = ReturnType<typeof trackingService>;
