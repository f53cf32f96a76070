/**
 * 统计分析 (SPEC §7): the pure rules behind the census-progress and safety figures.
 *
 * Census buckets partition a jurisdiction's production systems, so that a row's stacked bar
 * adds up to its total and "filed" is exactly review + returned + stored:
 *   stored     — has a stored version (in the national database; a change (变更) under way
 *                does not take it out: the stored version stays the one everybody queries);
 *   review     — never stored, pending at an agency on its way up (enterprise or lower level
 *                submitted); split by the level of the agency it waits at;
 *   returned   — never stored, back at the enterprise (returned) or being returned level by
 *                level (pending, arrival upper_returned);
 *   notFiled   — never submitted (a draft without any version).
 */
import type { AgencyLevel } from './orgTree';
import type { Arrival, WorkflowState } from './workflow';
import { categoriesCounting, MINE_CATEGORIES, MINERALS, type Category } from './systems';

/** The categories whose tailings figures (等别, 安全度, 头顶库) are counted. */
const TAILINGS_COUNTED: readonly string[] = categoriesCounting('safety_degree');
import type { LicenceExpiry } from './licence';

export const REVIEW_LEVELS = ['county', 'city', 'province', 'national'] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];

export const REVIEW_LEVEL_LABELS: Readonly<Record<ReviewLevel, string>> = Object.freeze({
  county: '县级',
  city: '市级',
  province: '省级',
  national: '总局',
});

/** The same places of an offshore chain (监督处 → 分部 → 海油安办 → 总局), as an offshore scope shows them. */
export const OFFSHORE_REVIEW_LEVEL_LABELS: Readonly<Record<ReviewLevel, string>> = Object.freeze({
  county: '监督处',
  city: '分部',
  province: '海油安办',
  national: '总局',
});

/**
 * The review level of an agency. Offshore units have no administrative level; they sit in the
 * same places of the chain as county/city/province agencies do (监督处 → 分部 → 海油安办 → 总局),
 * so their depth below the root decides.
 */
export function reviewLevelOf(level: AgencyLevel, depth: number): ReviewLevel {
  if (level !== 'offshore') return level;
  if (depth <= 1) return 'province';
  return depth === 2 ? 'city' : 'county';
}

export const CENSUS_BUCKETS = ['stored', 'review', 'returned', 'notFiled'] as const;
export type CensusBucket = (typeof CENSUS_BUCKETS)[number];

/** What a list narrowed to a bucket says it shows (the page's note above the list). */
export const CENSUS_BUCKET_NOTES: Readonly<Record<CensusBucket, string>> = Object.freeze({
  stored: '已入库',
  review: '审核中（尚未入库、正在逐级上报；不含退回途中和已入库系统的变更）',
  returned: '已退回',
  notFiled: '未提交',
});

export function censusBucket(s: {
  hasStored: boolean;
  state: WorkflowState;
  arrival: Arrival | null;
}): CensusBucket {
  if (s.hasStored || s.state === 'stored') return 'stored';
  if (s.state === 'draft') return 'notFiled';
  return s.state === 'returned' || s.arrival === 'upper_returned' ? 'returned' : 'review';
}

/** The census figures' definitions, as the page and the workbook state them. */
export const CENSUS_DEFINITIONS: readonly { term: string; text: string }[] = [
  { term: '统计对象', text: '直接监管部门在该地区（含下级）的全部独立生产系统。' },
  { term: '已填报', text: '企业至少提交过一次的系统，即 审核中 + 已退回 + 已入库。' },
  {
    term: '审核中',
    text: '尚未入库、正在逐级上报的系统，按当前所在审核部门的层级计入县级、市级、省级或总局（海油安办的监督处、分部、海油安办分别计入县级、市级、省级）。',
  },
  { term: '已退回', text: '尚未入库、已退回企业待修改，或正由上级逐级退回途中的系统。' },
  { term: '已入库', text: '已通过总局审核、进入全国数据库的系统；入库后发起变更的仍计为已入库。' },
  { term: '入库率', text: '已入库 ÷ 已填报。' },
  { term: '最久待审', text: '审核中的系统在当前审核部门已等待的最长天数。' },
  { term: '未提交', text: '企业已创建但从未提交的草稿。' },
];

export interface CensusCounts {
  total: number;
  notFiled: number;
  /** Submitted at least once: review + returned + stored. */
  filed: number;
  review: Record<ReviewLevel, number>;
  reviewTotal: number;
  returned: number;
  stored: number;
  /** When the longest-waiting filing under review arrived where it waits; null when none. */
  oldestSince: Date | null;
}

export function emptyCounts(): CensusCounts {
  return {
    total: 0,
    notFiled: 0,
    filed: 0,
    review: { county: 0, city: 0, province: 0, national: 0 },
    reviewTotal: 0,
    returned: 0,
    stored: 0,
    oldestSince: null,
  };
}

/** One counted group of systems, as the SQL aggregate returns it. */
export interface CensusGroup {
  hasStored: boolean;
  state: WorkflowState;
  arrival: Arrival | null;
  waitingLevel: AgencyLevel | null;
  waitingDepth: number | null;
  count: number;
  since: Date | null;
}

const earlier = (a: Date | null, b: Date | null): Date | null => (!a ? b : !b ? a : a <= b ? a : b);

/** Adds a counted group to `into` (mutates and returns it). */
export function addGroup(into: CensusCounts, g: CensusGroup): CensusCounts {
  const bucket = censusBucket(g);
  into.total += g.count;
  if (bucket === 'notFiled') into.notFiled += g.count;
  else into.filed += g.count;
  if (bucket === 'stored') into.stored += g.count;
  if (bucket === 'returned') into.returned += g.count;
  if (bucket === 'review' && g.waitingLevel !== null) {
    into.review[reviewLevelOf(g.waitingLevel, g.waitingDepth ?? 0)] += g.count;
    into.reviewTotal += g.count;
    into.oldestSince = earlier(into.oldestSince, g.since);
  }
  return into;
}

/** Sums several rows' counts (the 合计 row). */
export function sumCounts(rows: readonly CensusCounts[]): CensusCounts {
  const sum = emptyCounts();
  for (const r of rows) {
    sum.total += r.total;
    sum.notFiled += r.notFiled;
    sum.filed += r.filed;
    for (const l of REVIEW_LEVELS) sum.review[l] += r.review[l];
    sum.reviewTotal += r.reviewTotal;
    sum.returned += r.returned;
    sum.stored += r.stored;
    sum.oldestSince = earlier(sum.oldestSince, r.oldestSince);
  }
  return sum;
}

/** 入库率: the share of filed systems that reached the national database; null when none filed. */
export function storedRate(c: Pick<CensusCounts, 'filed' | 'stored'>): number | null {
  return c.filed === 0 ? null : c.stored / c.filed;
}

/** "45.5%" (one decimal), "—" when there is no rate. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

const DAY_MS = 86_400_000;

/** Whole days a filing has waited (0 on the day it arrived). */
export function daysWaiting(since: Date | null, now: Date): number | null {
  return since === null ? null : Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

// ---------------------------------------------------------------------------------------------
// Sorting the census table (?sort=key ascending, ?sort=-key descending).

export const CENSUS_SORT_KEYS = [
  'name',
  'filed',
  'county',
  'city',
  'province',
  'national',
  'review',
  'returned',
  'stored',
  'rate',
  'oldest',
  'notFiled',
] as const;
export type CensusSortKey = (typeof CENSUS_SORT_KEYS)[number];

/** The census table's figure columns, in display order (page and workbook alike). */
export const CENSUS_COLUMNS: readonly {
  key: Exclude<CensusSortKey, 'name'>;
  label: string;
  unit?: string;
  review?: true;
}[] = [
  { key: 'filed', label: '已填报' },
  { key: 'county', label: REVIEW_LEVEL_LABELS.county, review: true },
  { key: 'city', label: REVIEW_LEVEL_LABELS.city, review: true },
  { key: 'province', label: REVIEW_LEVEL_LABELS.province, review: true },
  { key: 'national', label: REVIEW_LEVEL_LABELS.national, review: true },
  { key: 'review', label: '小计', review: true },
  { key: 'returned', label: '已退回' },
  { key: 'stored', label: '已入库' },
  { key: 'rate', label: '入库率' },
  { key: 'oldest', label: '最久待审', unit: '天' },
  { key: 'notFiled', label: '未提交' },
];

/** The columns as a scope shows them: an offshore scope names its own review levels. */
export function censusColumnsFor(offshore: boolean): typeof CENSUS_COLUMNS {
  if (!offshore) return CENSUS_COLUMNS;
  return CENSUS_COLUMNS.map((c) =>
    c.review && c.key in OFFSHORE_REVIEW_LEVEL_LABELS
      ? { ...c, label: OFFSHORE_REVIEW_LEVEL_LABELS[c.key as ReviewLevel] }
      : c,
  );
}

const LEVEL_RANK: Readonly<Record<ReviewLevel, number>> = { county: 0, city: 1, province: 2, national: 3 };

/** Where the list a region filter names: an agency's subtree, or (direct) what it supervises itself. */
export interface RegionNarrowing {
  /** An agency code; none for the viewer's own jurisdiction. */
  region?: string;
  direct?: true;
}

/**
 * The list of exactly the systems a census figure counts, in the lists' own filters:
 * 已入库 → 已入库信息查询; 审核中 at the viewer's own level → its 待审核 list; at a level above →
 * its 信息追踪 (it passed them up), narrowed to that level; both narrowed to the census bucket
 * (`census`, data/census.ts), so that a change of a stored system or a filing being returned
 * (counted as 已入库 / 已退回) is not listed. Levels below the viewer have no list it may open.
 */
export type CensusFigureList =
  | ({ list: 'stored' } & RegionNarrowing)
  | ({ list: 'review'; census: 'review' } & RegionNarrowing)
  | ({ list: 'tracking'; census: 'review'; level: ReviewLevel } & RegionNarrowing);

export interface CensusFigureContext {
  viewer: { code: string; reviewLevel: ReviewLevel };
  scope: { code: string; isViewer: boolean; isLeaf: boolean };
}

/** The systems a census row stands for, as a region filter. */
export function censusRowRegion(
  ctx: CensusFigureContext,
  row: { kind: 'child' | 'direct' | 'total'; code: string },
): RegionNarrowing {
  const scope = ctx.scope.isViewer ? {} : { region: ctx.scope.code };
  if (row.kind === 'direct') return { ...scope, direct: true };
  if (row.kind === 'total' || ctx.scope.isLeaf) return scope;
  return { region: row.code };
}

export function censusFigureList(
  ctx: CensusFigureContext,
  row: { kind: 'child' | 'direct' | 'total'; code: string },
  key: CensusSortKey,
): CensusFigureList | null {
  const region = censusRowRegion(ctx, row);
  if (key === 'stored') return { list: 'stored', ...region };
  if (!(REVIEW_LEVELS as readonly string[]).includes(key)) return null;
  const level = key as ReviewLevel;
  const viewer = ctx.viewer.reviewLevel;
  if (level === viewer) return { list: 'review', census: 'review', ...region };
  if (LEVEL_RANK[level] > LEVEL_RANK[viewer]) return { list: 'tracking', census: 'review', level, ...region };
  return null;
}

export interface CensusSort {
  key: CensusSortKey;
  descending: boolean;
}

/** The tree order (as the agencies are listed) unless a known column is asked for. */
export const DEFAULT_SORT: CensusSort = Object.freeze({ key: 'name', descending: false });

export function parseSort(raw: unknown): CensusSort {
  if (typeof raw !== 'string') return DEFAULT_SORT;
  const descending = raw.startsWith('-');
  const key = descending ? raw.slice(1) : raw;
  return (CENSUS_SORT_KEYS as readonly string[]).includes(key)
    ? { key: key as CensusSortKey, descending }
    : DEFAULT_SORT;
}

export function formatSort(sort: CensusSort): string {
  return `${sort.descending ? '-' : ''}${sort.key}`;
}

/** The sort a column header links to: the other direction when it is the current column. */
export function nextSort(current: CensusSort, key: CensusSortKey): CensusSort {
  if (current.key === key) return { key, descending: !current.descending };
  // Laggards first: the lowest rate, the highest counts and the longest waits.
  return { key, descending: key !== 'rate' && key !== 'name' };
}

export interface SortableCensusRow {
  /** Position in the tree order. */
  order: number;
  counts: CensusCounts;
  rate: number | null;
  oldestDays: number | null;
}

/** A row's figure for a column (for `name`: its tree position). */
export function censusValue(row: SortableCensusRow, key: CensusSortKey): number | null {
  const c = row.counts;
  switch (key) {
    case 'name':
      return row.order;
    case 'county':
    case 'city':
    case 'province':
    case 'national':
      return c.review[key];
    case 'review':
      return c.reviewTotal;
    case 'rate':
      return row.rate;
    case 'oldest':
      return row.oldestDays;
    default:
      return c[key];
  }
}

/** A sorted copy; rows without a value (no rate, nothing waiting) go last either way. */
export function sortCensusRows<R extends SortableCensusRow>(rows: readonly R[], sort: CensusSort): R[] {
  return [...rows].sort((a, b) => {
    const va = censusValue(a, sort.key);
    const vb = censusValue(b, sort.key);
    if (va === null || vb === null) return va === vb ? a.order - b.order : va === null ? 1 : -1;
    const d = sort.descending ? vb - va : va - vb;
    return d !== 0 ? d : a.order - b.order;
  });
}

// ---------------------------------------------------------------------------------------------
// Safety figures.

/** Stored systems with the same values of every counted field, as the SQL aggregate returns them. */
export interface SafetyGroup {
  category: string;
  mineral: string | null;
  scale: string | null;
  grade: string | null;
  safetyDegree: string | null;
  productionStatus: string | null;
  overhead: boolean | null;
  licence: LicenceExpiry | null;
  count: number;
  /** Sum of downstream_people over the group (tailings ponds only). */
  people: number;
}

/** Counts per value (null: not filled in). */
export type Tally = Map<string | null, number>;

export interface SafetyCounts {
  categories: Tally;
  /** Mines only: underground and open pit. */
  minerals: Tally;
  scales: Tally;
  /** Tailings ponds only. */
  grades: Tally;
  safetyDegrees: Tally;
  overhead: { ponds: number; people: number };
  licences: { expired: number; expiring: number };
  productionStatus: Tally;
}

const bump = (t: Tally, key: string | null, n: number): void => {
  t.set(key, (t.get(key) ?? 0) + n);
};

/** Folds the groups into one tally per figure; each figure counts only the categories it is about. */
export function foldSafety(groups: readonly SafetyGroup[]): SafetyCounts {
  const c: SafetyCounts = {
    categories: new Map(),
    minerals: new Map(),
    scales: new Map(),
    grades: new Map(),
    safetyDegrees: new Map(),
    overhead: { ponds: 0, people: 0 },
    licences: { expired: 0, expiring: 0 },
    productionStatus: new Map(),
  };
  for (const g of groups) {
    bump(c.categories, g.category, g.count);
    bump(c.productionStatus, g.productionStatus, g.count);
    if (g.licence) c.licences[g.licence] += g.count;
    if (MINE_CATEGORIES.includes(g.category as Category)) {
      bump(c.minerals, g.mineral, g.count);
      bump(c.scales, g.scale, g.count);
    }
    if (TAILINGS_COUNTED.includes(g.category)) {
      bump(c.grades, g.grade, g.count);
      bump(c.safetyDegrees, g.safetyDegree, g.count);
      if (g.overhead) {
        c.overhead.ponds += g.count;
        c.overhead.people += g.people;
      }
    }
  }
  return c;
}

export interface MineralGroupCount {
  group: string;
  count: number;
  /** `known`: one of MINERALS (a value outside them, from older data, has no filter). */
  minerals: { code: string; label: string; count: number; known: boolean }[];
}

/**
 * Mine counts by mineral, gathered into MINERALS' groups (in their order, empty groups and
 * minerals left out). A value outside the list (an older form) counts under 其他.
 */
export function groupMinerals(counts: ReadonlyMap<string | null, number>): MineralGroupCount[] {
  const groups = new Map<string, MineralGroupCount>();
  const known = new Set(MINERALS.map((m) => m.value));
  const add = (group: string, mineral: MineralGroupCount['minerals'][number]) => {
    let g = groups.get(group);
    if (!g) groups.set(group, (g = { group, count: 0, minerals: [] }));
    g.count += mineral.count;
    g.minerals.push(mineral);
  };
  for (const m of MINERALS) {
    const count = counts.get(m.value) ?? 0;
    if (count > 0) add(m.group ?? '其他', { code: m.value, label: m.label, count, known: true });
  }
  for (const [code, count] of counts)
    if (!known.has(code ?? '') && count > 0)
      add('其他', { code: code ?? '', label: code || '未填写', count, known: false });
  const order = [...new Set(MINERALS.map((m) => m.group ?? '其他'))];
  return [...groups.values()].sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
}

/**
 * The short name a statistics table shows for an agency: its region's name (浙江省, 西湖区), or
 * its name without the department suffix and the national prefix (新疆生产建设兵团,
 * 海洋石油作业安全办公室, 天津监督处). The root reads 全国.
 */
export function scopeLabel(agency: { name: string; depth: number }, regionName: string | null): string {
  if (agency.depth === 0) return '全国';
  if (regionName) return regionName;
  return agency.name.replace(/安全生产监督管理局$/, '').replace(/^国家安全监管总局/, '') || agency.name;
}
