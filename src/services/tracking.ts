import type { Knex } from 'knex';
import { regulatorAgencyId } from './agencyAccess';
import { lastPageClamp } from '../domain/paging';
import { NotFound } from '../domain/errors';
import { trackingRepo, type TrackingFilter, type TrackingRow } from '../data/tracking';
import { systemsRepo } from '../data/systems';
import { systemVersion, type SystemVersion } from './systemVersions';
import { historyOf, type HistoryEntry } from './history';
import { orgRepo, type AgencyRow } from '../data/org';
import { reviewLevelOf, scopeLabel, type ReviewLevel } from '../domain/stats';
import type { ServiceDeps } from './deps';
import type { CurrentUser } from './session';
import type { Category } from '../domain/systems';
import type { TrackingStatus } from '../domain/tracking';
import type { Arrival, HistoryAction, WorkflowState } from '../domain/workflow';

export const TRACKING_PAGE_SIZE = 20;

export interface TrackingQuery extends Pick<TrackingFilter, 'status' | 'category' | 'q' | 'census'> {
  /** An agency code in the viewer's subtree: systems supervised there (with `direct`: by it). */
  region?: string;
  direct?: boolean;
  /** Waiting at the viewer's own agency or its ancestor of this review level. */
  level?: ReviewLevel;
  page: number;
  /** Filters ignored because their value was not understood (routes/queryParsers.ts). */
  notUnderstood: string[];
}

/** A system this agency approved or returned, as 信息追踪 lists it. */
export interface TrackingItem {
  id: number;
  name: string;
  category: Category;
  state: WorkflowState;
  arrival: Arrival | null;
  currentAgencyName: string | null;
  latestVersion: number;
  storedVersion: number | null;
  stateChangedAt: Date;
  enterpriseName: string;
  creditCode: string;
  status: TrackingStatus | null;
  myAction: HistoryAction;
  myActionToState: WorkflowState;
  myActionAt: Date;
  /** A stored version exists that this agency may open in 已入库信息查询. */
  storedVisible: boolean;
}

const trackingItem = (r: TrackingRow): TrackingItem => ({
  id: r.id,
  name: r.name,
  category: r.category,
  state: r.state,
  arrival: r.arrival,
  currentAgencyName: r.current_agency_name,
  latestVersion: r.latest_version,
  storedVersion: r.stored_version,
  stateChangedAt: r.state_changed_at,
  enterpriseName: r.enterprise_name,
  creditCode: r.credit_code,
  status: r.status,
  myAction: r.my_action,
  myActionToState: r.my_action_to_state,
  myActionAt: r.my_action_at,
  storedVisible: r.stored_visible,
});

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
  rows: TrackingItem[];
}

export interface TrackingDetail {
  item: TrackingItem;
  version: SystemVersion | undefined;
  /** Full name of the region the latest version names (浙江省杭州市西湖区). */
  regionName: string | null;
  history: HistoryEntry[];
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

  return {
    async list(user: CurrentUser, query: TrackingQuery): Promise<TrackingList> {
      const agencyId = regulatorAgencyId(user);
      const me = await org.agencyById(agencyId);
      if (!me) throw new NotFound();
      const [narrowing, children] = await Promise.all([narrowingOf(me, query), org.namedChildrenOf(me.id)]);
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
      const { page, offset } = lastPageClamp(query.page, total, TRACKING_PAGE_SIZE);
      const rows = total
        ? await repo.page(agencyId, { ...filter, status: query.status }, TRACKING_PAGE_SIZE, offset)
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
        rows: rows.map(trackingItem),
      };
    },

    /** A system this agency approved or returned; any other id does not exist for it. */
    async detail(user: CurrentUser, systemId: number): Promise<TrackingDetail> {
      const agencyId = regulatorAgencyId(user);
      if (!Number.isSafeInteger(systemId) || systemId < 1) throw new NotFound();
      const item = await repo.one(agencyId, systemId);
      if (!item) throw new NotFound();
      const [version, history] = await Promise.all([
        systemsRepo(knex).version(systemId, item.latest_version),
        historyOf(knex, systemId),
      ]);
      const code = version?.data.region_code;
      const region = typeof code === 'string' ? await orgRepo(knex).regionByCode(code) : undefined;
      return {
        item: trackingItem(item),
        version: version && systemVersion(version),
        regionName: region?.full_name ?? null,
        history,
      };
    },
  };
}

export type TrackingService = ReturnType<typeof trackingService>;
