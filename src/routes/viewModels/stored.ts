import { openedFrom, withQuery, paths } from '../../paths';
import {
  categories,
  categoryByCode,
  displayValue,
  findField,
  keyFigureFields,
  type Category,
  type Option,
  type SystemData,
} from '../../domain/systems';
import { enterpriseSections } from '../../domain/enterprise';
import { matchCountLabel } from '../../domain/matchCount';
import {
  ENUM_FILTERS,
  ENUM_FILTER_KEYS,
  filterApplies,
  LICENCE_OPTIONS,
  OVERHEAD_OPTIONS,
  type StoredDetail,
  type StoredList,
  type StoredQuery,
} from '../../services/stored';
import type { StoredSortKey } from '../../services/types';
import type { WorkflowState } from '../../domain/workflow';
import { paginationView, type PaginationView } from './pagination';
import { historyView, type HistoryEntryView } from './history';
import { regionNameOf, systemDataView, withRegionNames, type DataSectionView } from './systemData';
import type { TagView } from './labels';

// ---------------------------------------------------------------------------------------------
// Shared bits

export interface SelectOption {
  value: string;
  label: string;
}
export interface SelectGroup {
  label: string | null;
  options: SelectOption[];
}
export interface FilterSelect {
  name: string;
  label: string;
  groups: SelectGroup[];
  selected: string;
}

/** Options in their groups (矿种 by 黑色金属, 有色金属 …); one unnamed group when ungrouped. */
function grouped(options: readonly Option[]): SelectGroup[] {
  const groups: SelectGroup[] = [];
  for (const o of options) {
    const label = o.group ?? null;
    let g = groups[groups.length - 1];
    if (!g || g.label !== label) groups.push((g = { label, options: [] }));
    g.options.push({ value: o.value, label: o.label });
  }
  return groups;
}

export const categoryShortLabel = (code: string): string => {
  const def = categoryByCode(code);
  return def?.shortLabel ?? def?.label ?? code;
};

export const CATEGORY_OPTIONS: readonly Option[] = categories.map((c) => ({ value: c.code, label: c.label }));

/** While a change (变更) of a stored system is at the enterprise or under review. */
export function changeTag(state: WorkflowState): TagView | null {
  if (state === 'stored') return null;
  return state === 'pending'
    ? { label: '变更审核中', tone: 'amber' }
    : { label: '变更填报中', tone: 'amber' };
}

// ---------------------------------------------------------------------------------------------
// The list

/**
 * The key figure of a list row: the category's declared key fields (domain/systems `query`),
 * a yes/no field by its short name when it holds (头顶库).
 */
export function keyFigure(category: Category, data: SystemData): string {
  const parts = keyFigureFields(category).flatMap((code) => {
    const field = findField(category, code);
    if (!field) return [];
    if (field.type === 'bool') return data[code] === true ? [field.label.replace(/（[^）]*）$/, '')] : [];
    const shown = displayValue(field, data[code] ?? null);
    return shown === '—' ? [] : [shown];
  });
  return parts.join(' · ') || '—';
}

export interface StoredRowView {
  id: number;
  name: string;
  href: string;
  enterprise: string;
  category: string;
  region: string;
  keyFigure: string;
  storedAt: Date;
  version: number;
  changeTag: TagView | null;
}

export interface SortHeader {
  key: StoredSortKey;
  label: string;
  href: string;
  /** 'asc' | 'desc' when the list is sorted by this column. */
  active: 'asc' | 'desc' | null;
}

const SORT_LABELS: Record<StoredSortKey, string> = {
  name: '独立生产系统名称',
  category: '类别',
  region: '所在地区',
  stored: '入库日期',
};

/** The query as URL parameters; defaults are left out so that URLs stay short. */
export function storedParams(
  query: StoredQuery,
  region: Record<string, string>,
  overrides: Record<string, string | number | undefined> = {},
): Record<string, string | number | undefined> {
  const params: Record<string, string | number | undefined> = {
    ...region,
    category: query.category,
    ...query.enums,
    overhead: query.overhead,
    licence: query.licence,
    direct: query.direct ? '1' : undefined,
    q: query.q,
    sort: query.sort === 'stored' ? undefined : query.sort,
    dir: query.dir === (query.sort === 'stored' ? 'desc' : 'asc') ? undefined : query.dir,
    page: query.page > 1 ? query.page : undefined,
  };
  return { ...params, ...overrides };
}

export interface StoredListView {
  title: string;
  regionSelects: StoredList['regionSelects'];
  /** The 仅本级直接监管 box, where the chosen region has subordinates to leave out. */
  direct: { checked: boolean } | null;
  filterSelects: FilterSelect[];
  q: string;
  total: number;
  /** 「1,234」 or 「超过 1,000」 (a text search's bounded count, domain/matchCount.ts). */
  totalLabel: string;
  /** The count stopped at its bound: the page asks for a narrower search. */
  totalExceeds: boolean;
  hasFilters: boolean;
  rows: StoredRowView[];
  sortHeaders: Record<StoredSortKey, SortHeader>;
  /** A sort other than the default, kept when the filters are submitted. */
  keptSort: { sort: string; dir: string } | null;
  pagination: PaginationView;
  exportHref: string;
  resetHref: string;
  pageScripts: string[];
}

export function storedListView(list: StoredList): StoredListView {
  const { query } = list;
  const region = Object.fromEntries(
    list.regionSelects.filter((s) => s.selected).map((s) => [s.param, s.selected]),
  );
  const href = (overrides: Record<string, string | number | undefined>) =>
    withQuery(paths.stored.list(), storedParams(query, region, overrides));

  const select = (name: string, label: string, options: readonly Option[], selected: string | undefined) => ({
    name,
    label,
    groups: grouped(options),
    selected: selected ?? '',
  });
  const filterSelects: FilterSelect[] = [select('category', '类别', CATEGORY_OPTIONS, query.category)];
  filterSelects.push(
    select(
      'production_status',
      ENUM_FILTERS.production_status.label,
      ENUM_FILTERS.production_status.options,
      query.enums.production_status,
    ),
  );
  for (const key of ENUM_FILTER_KEYS) {
    if (key === 'production_status' || !filterApplies(key, query.category)) continue;
    filterSelects.push(select(key, ENUM_FILTERS[key].label, ENUM_FILTERS[key].options, query.enums[key]));
  }
  if (filterApplies('overhead', query.category))
    filterSelects.push(select('overhead', '头顶库', OVERHEAD_OPTIONS, query.overhead));
  filterSelects.push(select('licence', '安全生产许可证', LICENCE_OPTIONS, query.licence));

  const sortHeaders = Object.fromEntries(
    (Object.keys(SORT_LABELS) as StoredSortKey[]).map((key) => {
      const active = query.sort === key ? query.dir : null;
      const nextDir = active ? (active === 'asc' ? 'desc' : 'asc') : key === 'stored' ? 'desc' : 'asc';
      return [
        key,
        { key, label: SORT_LABELS[key], active, href: href({ sort: key, dir: nextDir, page: undefined }) },
      ];
    }),
  ) as Record<StoredSortKey, SortHeader>;

  const { sort: sortParam, dir: dirParam } = storedParams(query, region);
  const isDefaultSort = sortParam === undefined && dirParam === undefined;
  const hasFilters =
    Object.keys(region).length > 0 ||
    Boolean(query.category || query.overhead || query.licence || query.direct || query.q) ||
    Object.keys(query.enums).length > 0;

  return {
    title: '已入库信息查询',
    regionSelects: list.regionSelects,
    direct: list.scopeHasChildren || query.direct ? { checked: Boolean(query.direct) } : null,
    filterSelects,
    q: query.q ?? '',
    total: list.total.count,
    totalLabel: matchCountLabel(list.total),
    totalExceeds: list.total.exceeds,
    hasFilters,
    rows: list.rows.map((r) => ({
      id: r.systemId,
      name: r.name,
      href: openedFrom(paths.stored.show(r.systemId), href({})),
      enterprise: r.enterpriseName,
      category: categoryShortLabel(r.category),
      region: r.regionName ?? r.agencyName,
      keyFigure: keyFigure(r.category, r.data),
      storedAt: r.storedAt,
      version: r.version,
      changeTag: changeTag(r.state),
    })),
    sortHeaders,
    keptSort: isDefaultSort ? null : { sort: query.sort, dir: query.dir },
    pagination: paginationView(
      list.total.count,
      list.page,
      (page) => href({ page: page > 1 ? page : undefined }),
      list.pageSize,
    ),
    exportHref: withQuery(
      paths.stored.xlsx(),
      storedParams(query, region, { sort: undefined, dir: undefined, page: undefined }),
    ),
    resetHref: paths.stored.list(),
    pageScripts: ['stored.js'],
  };
}

// ---------------------------------------------------------------------------------------------
// The detail

export interface Fact {
  label: string;
  value: string;
}

const AGENCY_FIELD_CODES = new Set(['supervising_agency_id', 'region_code', 'credit_code', 'name']);

/** Said when a version from before frozen facts were kept shows the enterprise's current ones. */
export const LIVE_ENTERPRISE_NOTE = '该版本入库时未记录企业信息，以下为企业当前信息';

/** 企业基本信息 as label/value pairs, codes shown by their labels: as the stored version froze it. */
function enterpriseFacts(e: StoredDetail['enterprise']): Fact[] {
  const facts: Fact[] = [
    { label: '企业名称', value: e.name },
    { label: '统一社会信用代码', value: e.creditCode },
  ];
  for (const field of enterpriseSections.flatMap((s) => s.fields)) {
    if (AGENCY_FIELD_CODES.has(field.code)) continue;
    if (field.code === 'ownerless' && !e.ownerless) continue;
    const raw = e.values[field.code];
    facts.push({
      label: field.label,
      value: displayValue(field, raw === undefined ? null : (raw as string | boolean | null)),
    });
  }
  facts.push({ label: '所在行政区划', value: e.regionName ?? e.regionCode });
  facts.push({ label: '直接监管部门', value: e.supervisingAgencyName ?? '—' });
  return facts;
}

export interface StoredDetailView {
  title: string;
  breadcrumbs: { label: string; href?: string }[];
  /** The list it was opened from, with its filters. */
  backHref: string;
  name: string;
  version: number;
  facts: Fact[];
  changeNotice: string | null;
  changeTag: TagView | null;
  enterpriseFacts: Fact[];
  /** The version kept no enterprise facts: those shown are today's. */
  enterpriseNote: string | null;
  sections: DataSectionView[];
  history: HistoryEntryView[];
}

export const CHANGE_NOTICE = '该系统的变更正在填报/审核中，此处显示的是已入库版本';

export function storedDetailView(
  d: StoredDetail,
  dateTime: (v: Date) => string,
  backHref: string = paths.stored.list(),
): StoredDetailView {
  const s = d.system;
  const sections = withRegionNames(
    systemDataView(s.category, s.data),
    s.category,
    regionNameOf(s.data, d.systemRegionName),
  );
  return {
    title: `${s.name} - 已入库信息`,
    breadcrumbs: [{ label: '已入库信息查询', href: backHref }, { label: s.name }],
    backHref,
    name: s.name,
    version: s.version,
    facts: [
      { label: '类别', value: categoryByCode(s.category)?.label ?? s.category },
      { label: '企业名称', value: d.enterprise.frozen ? d.enterprise.name : s.enterpriseName },
      { label: '入库版本', value: `第 ${s.version} 版` },
      { label: '入库时间', value: dateTime(s.storedAt) },
      { label: '所在地区', value: d.systemRegionName ?? '—' },
      { label: '直接监管部门', value: s.agencyName },
    ],
    changeNotice: s.state === 'stored' ? null : CHANGE_NOTICE,
    changeTag: changeTag(s.state),
    enterpriseFacts: enterpriseFacts(d.enterprise),
    enterpriseNote: d.enterprise.frozen ? null : LIVE_ENTERPRISE_NOTE,
    sections,
    history: historyView(d.history, s.category),
  };
}
