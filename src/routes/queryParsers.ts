// The URL queries of the list pages, allow-listed into what the services take (the HTTP
// boundary: a service never sees a raw query). What is not understood is ignored and named in
// `notUnderstood` (routes/listFilters.ts says so on the page and answers 400); a bad page is
// page 1 (routes/params.ts pageParam). 待审核's own query: viewModels/review.ts parseListParams.
import { categories, type Category } from '../domain/systems';
import { LICENCE_EXPIRIES, type LicenceExpiry } from '../domain/licence';
import { TRACKING_STATUSES, type TrackingStatus } from '../domain/tracking';
import { CENSUS_BUCKETS, REVIEW_LEVELS, type CensusBucket, type ReviewLevel } from '../domain/stats';
import { AUDIT_EVENT_TYPES, type AuditEventType, type AuditResult } from '../domain/audit';
import type { SortDir, StoredSortKey } from '../services/types';
import { queryReader } from '../services/queryParams';
import {
  ENUM_FILTER_KEYS,
  ENUM_FILTERS,
  filterApplies,
  REGION_PARAMS,
  type EnumFilter,
  type StoredQuery,
} from '../services/stored';
import type { TrackingQuery } from '../services/tracking';
import type { AuditQuery, AuditSelected } from '../services/auditLog';
import type { AccountQuery } from '../services/accountAdmin';
import { ROLES, type Role } from '../domain/roles';
import { pageParam } from './params';

/** The longest keyword a list searches for. */
const MAX_TEXT = 50;

const categoryCodes = categories.map((c) => c.code);

// ---------------------------------------------------------------------------------------------
// 已入库信息查询

export const SORT_KEYS: readonly StoredSortKey[] = ['stored', 'name', 'category', 'region'];

const DEFAULT_DIR: Record<StoredSortKey, SortDir> = {
  stored: 'desc',
  name: 'asc',
  category: 'asc',
  region: 'asc',
};

/**
 * Allow-lists the URL's query. A value no form offers (an unknown category, mineral, …) is
 * ignored and named in `notUnderstood`; sort, direction and page fall back to their defaults.
 */
export function parseStoredQuery(raw: Record<string, unknown>): StoredQuery {
  const { str, oneOf, text, notUnderstood } = queryReader(raw);
  const category = oneOf<Category>('category', categoryCodes, '类别');
  const enums: Record<EnumFilter, string> = {};
  for (const key of ENUM_FILTER_KEYS) {
    const def = ENUM_FILTERS[key];
    const v = oneOf<string>(
      key,
      def.options.map((o) => o.value),
      def.label,
    );
    if (v !== undefined && filterApplies(key, category)) enums[key] = v;
  }
  // `overhead=1|0` is what the statistics page links with; the form sends yes/no.
  const overheadRaw = oneOf<'yes' | 'no' | '1' | '0'>('overhead', ['yes', 'no', '1', '0'], '头顶库');
  const overhead = overheadRaw === '1' ? 'yes' : overheadRaw === '0' ? 'no' : overheadRaw;
  const regionCode = str('region');
  const region: StoredQuery['region'] = {};
  for (const key of REGION_PARAMS) {
    const v = str(key);
    if (v !== undefined && v.length <= 20) region[key] = v;
  }
  const q = text('q', MAX_TEXT);
  const sortRaw = str('sort');
  const sort = SORT_KEYS.includes(sortRaw as StoredSortKey) ? (sortRaw as StoredSortKey) : 'stored';
  const dirRaw = str('dir');
  const dir = dirRaw === 'asc' || dirRaw === 'desc' ? dirRaw : DEFAULT_DIR[sort];
  const page = pageParam(str('page'));
  return {
    notUnderstood,
    region,
    regionCode: regionCode && regionCode.length <= 40 ? regionCode : undefined,
    category,
    enums,
    overhead: overhead && filterApplies('overhead', category) ? overhead : undefined,
    licence: oneOf<LicenceExpiry>('licence', LICENCE_EXPIRIES, '安全生产许可证'),
    direct: oneOf<'1'>('direct', ['1'], '本级直接监管') === '1' || undefined,
    q,
    sort,
    dir,
    page,
  };
}

// ---------------------------------------------------------------------------------------------
// 信息追踪

/** Allow-lists the URL's query: an unknown status or category is ignored and named, a bad page is page 1. */
export function parseTrackingQuery(raw: Record<string, unknown>): TrackingQuery {
  const { str, oneOf, text, notUnderstood } = queryReader(raw);
  const status = oneOf<TrackingStatus>('status', TRACKING_STATUSES, '追踪状态');
  const category = oneOf<Category>('category', categoryCodes, '类别');
  const q = text('q', MAX_TEXT);
  const page = str('page');
  const region = str('region');
  return {
    status,
    category,
    q,
    region: region && /^[A-Za-z0-9-]{1,30}$/.test(region) ? region : undefined,
    direct: oneOf<'1'>('direct', ['1'], '本级直接监管') === '1' || undefined,
    level: oneOf<ReviewLevel>('level', REVIEW_LEVELS, '审核层级'),
    census: oneOf<CensusBucket>('census', CENSUS_BUCKETS, '统计口径'),
    page: pageParam(page),
    notUnderstood,
  };
}

// ---------------------------------------------------------------------------------------------
// 安全审计

export const AUDIT_FILTER_LABELS = {
  from: '起始日期',
  to: '截止日期',
  account: '账号',
  match: '账号匹配方式',
  type: '事件类型',
  result: '结果',
  q: '关键字',
} as const;

/** Allow-lists the URL's query: what is not understood is named. */
export function parseAuditQuery(raw: Record<string, unknown>): AuditQuery {
  const { str, oneOf, text, day, notUnderstood } = queryReader(raw);
  const L = AUDIT_FILTER_LABELS;
  const page = str('page');
  const selected: AuditSelected = {
    from: day('from', L.from),
    to: day('to', L.to),
    account: text('account', 64, L.account),
    match: oneOf<'prefix'>('match', ['prefix'], L.match),
    type: oneOf<AuditEventType>('type', AUDIT_EVENT_TYPES, L.type),
    result: oneOf<AuditResult>('result', ['success', 'failure'], L.result),
    q: text('q', MAX_TEXT, L.q),
  };
  return {
    selected: Object.fromEntries(Object.entries(selected).filter(([, v]) => v !== undefined)),
    page: pageParam(page),
    notUnderstood,
  };
}

// ---------------------------------------------------------------------------------------------
// 账号管理 and 账号解锁

/** Allow-lists the URL's query: an unknown role is ignored and named, a bad page is page 1. */
export function parseAccountQuery(raw: Record<string, unknown>): AccountQuery {
  const { str, oneOf, text, notUnderstood } = queryReader(raw);
  return {
    role: oneOf<Role>('role', ROLES, '角色'),
    q: text('q', MAX_TEXT),
    page: pageParam(str('page')),
    notUnderstood,
  };
}
