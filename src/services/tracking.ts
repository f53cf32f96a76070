import type { Knex } from 'knex';
import { categories, type Category } from '../domain/systems';
import { TRACKING_STATUSES, type TrackingStatus } from '../domain/tracking';
import { queryReader } from './queryParams';
import { NotFound } from '../domain/errors';
import { trackingRepo, type TrackingFilter, type TrackingRow } from '../data/tracking';
import { systemsRepo, type VersionRow } from '../data/systems';
import { historyRepo, type HistoryListRow } from '../data/history';
import { orgRepo } from '../data/org';
import type { ServiceDeps } from './deps';
import type { CurrentUser } from './session';

export const TRACKING_PAGE_SIZE = 20;
const MAX_TEXT = 50;

export interface TrackingQuery extends TrackingFilter {
  page: number;
}

/** Allow-lists the URL's query: an unknown status or category is a 400, a bad page is page 1. */
export function parseTrackingQuery(raw: Record<string, unknown>): TrackingQuery {
  const { str, oneOf, text } = queryReader(raw);
  const status = oneOf<TrackingStatus>('status', TRACKING_STATUSES, '追踪状态');
  const category = oneOf<Category>(
    'category',
    categories.map((c) => c.code),
    '类别',
  );
  const q = text('q', MAX_TEXT);
  const page = Number.parseInt(str('page') ?? '', 10);
  return {
    status: status as TrackingStatus | undefined,
    category: category as Category | undefined,
    q,
    page: Number.isSafeInteger(page) && page >= 1 && page <= 100000 ? page : 1,
  };
}

export interface TrackingList {
  query: TrackingQuery;
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

  function agencyIdOf(user: CurrentUser): number {
    if (user.role !== 'regulator' || user.agencyId === null) throw new NotFound();
    return user.agencyId;
  }

  return {
    async list(user: CurrentUser, query: TrackingQuery): Promise<TrackingList> {
      const agencyId = agencyIdOf(user);
      const statusCounts = await repo.statusCounts(agencyId, { category: query.category, q: query.q });
      const total = query.status
        ? (statusCounts.get(query.status) ?? 0)
        : [...statusCounts.values()].reduce((a, b) => a + b, 0);
      const page = Math.min(query.page, Math.max(1, Math.ceil(total / TRACKING_PAGE_SIZE)));
      const rows = total
        ? await repo.page(agencyId, query, TRACKING_PAGE_SIZE, (page - 1) * TRACKING_PAGE_SIZE)
        : [];
      return { query: { ...query, page }, statusCounts, total, page, pageSize: TRACKING_PAGE_SIZE, rows };
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
