import { openedFrom, paths, withQuery } from '../../paths';
import { categoryByCode } from '../../domain/systems';
import { TRACKING_STATUSES, trackingLabel, type TrackingStatus } from '../../domain/tracking';
import { actionLabel } from '../../domain/workflow';
import type { TrackingDetail, TrackingItem, TrackingList, TrackingQuery } from '../../services/tracking';
import { censusNoteView, changeTag, trackingTag, type TagView } from './labels';
import { positionLabel, historyView, type HistoryEntryView } from './history';
import { paginationView } from './pagination';
import { regionNameOf, systemDataView, withRegionNames, type DataSectionView } from './systemData';
import { CATEGORY_OPTIONS, categoryShortLabel, type Fact } from './stored';

/** A system whose supervising agency changed since: no longer above or below this agency. */
const OFF_CHAIN: TagView = { label: '已不在本级审核范围', tone: 'grey' };

export const statusTag = (status: TrackingStatus | null): TagView =>
  status ? trackingTag(status) : OFF_CHAIN;

/** Where it is now; a change being drafted on a stored system still reads as stored. */
function whereNow(r: TrackingItem): string {
  if (r.state === 'draft' && r.storedVersion !== null) return '已入库（企业正在填报变更）';
  return positionLabel(r.state, r.currentAgencyName, r.arrival);
}

export interface TrackingRowView {
  id: number;
  name: string;
  href: string;
  enterprise: string;
  category: string;
  tag: TagView;
  /** 变更 of a stored system under review or returned. */
  changeTag: TagView | null;
  position: string;
  myAction: string;
  myActionAt: Date;
  storedHref: string | null;
}

function rowView(r: TrackingItem, list: string = paths.tracking.list()): TrackingRowView {
  return {
    id: r.id,
    name: r.name,
    href: openedFrom(paths.tracking.show(r.id), list),
    enterprise: r.enterpriseName,
    category: categoryShortLabel(r.category),
    tag: statusTag(r.status),
    changeTag: changeTag(r.storedVersion, r.latestVersion),
    position: whereNow(r),
    myAction: actionLabel(r.myAction, r.myActionToState),
    myActionAt: r.myActionAt,
    storedHref: r.storedVisible ? paths.stored.show(r.id) : null,
  };
}

export interface StatusChip {
  label: string;
  count: number;
  href: string;
  current: boolean;
  tone: TagView['tone'];
}

const queryParams = (q: TrackingQuery, overrides: Record<string, string | number | undefined> = {}) => ({
  status: q.status,
  category: q.category,
  region: q.region,
  direct: q.direct ? '1' : undefined,
  level: q.level,
  census: q.census,
  q: q.q,
  page: q.page > 1 ? q.page : undefined,
  ...overrides,
});

export function trackingListView(list: TrackingList) {
  const { query } = list;
  const href = (overrides: Record<string, string | number | undefined>) =>
    withQuery(paths.tracking.list(), queryParams(query, overrides));
  const all = [...list.statusCounts.values()].reduce((a, b) => a + b, 0);
  const chips: StatusChip[] = [
    {
      label: '全部',
      count: all,
      href: href({ status: undefined, page: undefined }),
      current: !query.status,
      tone: 'grey',
    },
    ...TRACKING_STATUSES.map((s) => ({
      label: trackingLabel(s),
      count: list.statusCounts.get(s) ?? 0,
      href: href({ status: s, page: undefined }),
      current: query.status === s,
      tone: trackingTag(s).tone,
    })),
  ];
  return {
    title: '信息追踪',
    chips,
    statusOptions: TRACKING_STATUSES.map((s) => ({ value: s, label: trackingLabel(s) })),
    categoryOptions: CATEGORY_OPTIONS,
    // 信息追踪's region filter: this agency's own enterprises, or a subordinate region's.
    regionOptions: list.regions.length
      ? [
          { value: '', label: '全部' },
          ...(list.regionName && query.region ? [{ value: query.region, label: list.regionName }] : []),
          ...list.regions.map((r) => ({ value: r.code, label: r.name })),
        ]
      : [],
    selected: {
      status: query.status ?? '',
      category: query.category ?? '',
      region: query.region ?? '',
      q: query.q ?? '',
    },
    hidden: { direct: query.direct ? '1' : '', level: query.level ?? '', census: query.census ?? '' },
    censusNote: censusNoteView(
      query.census,
      href({ census: undefined, level: undefined, direct: undefined, page: undefined }),
    ),
    hasFilters: Boolean(query.status || query.category || query.q || query.region || query.census),
    total: list.total,
    rows: list.rows.map((r) => rowView(r, href({}))),
    pagination: paginationView(
      list.total,
      list.page,
      (page) => href({ page: page > 1 ? page : undefined }),
      list.pageSize,
    ),
    resetHref: paths.tracking.list(),
  };
}

export interface TrackingDetailView {
  title: string;
  breadcrumbs: { label: string; href?: string }[];
  /** The list it was opened from, with its filters. */
  backHref: string;
  name: string;
  tag: TagView;
  changeTag: TagView | null;
  facts: Fact[];
  storedHref: string | null;
  versionNumber: number | null;
  sections: DataSectionView[];
  history: HistoryEntryView[];
}

export function trackingDetailView(
  d: TrackingDetail,
  dateTime: (v: Date) => string,
  backHref: string = paths.tracking.list(),
): TrackingDetailView {
  const r = d.item;
  const row = rowView(r);
  return {
    title: `${r.name} - 信息追踪`,
    breadcrumbs: [{ label: '信息追踪', href: backHref }, { label: r.name }],
    backHref,
    name: r.name,
    tag: row.tag,
    changeTag: row.changeTag,
    facts: [
      { label: '类别', value: categoryByCode(r.category)?.label ?? r.category },
      { label: '企业名称', value: r.enterpriseName },
      { label: '统一社会信用代码', value: r.creditCode },
      { label: '当前位置', value: row.position },
      { label: '本级最后操作', value: `${row.myAction}（${dateTime(r.myActionAt)}）` },
      {
        label: '最新版本',
        value: d.version
          ? `第 ${d.version.version} 版${row.changeTag ? `（变更，替换已入库的第 ${r.storedVersion} 版）` : ''}（${dateTime(d.version.submittedAt)} 提交）`
          : '—',
      },
    ],
    storedHref: row.storedHref,
    versionNumber: d.version?.version ?? null,
    sections: d.version
      ? withRegionNames(
          systemDataView(r.category, d.version.data),
          r.category,
          regionNameOf(d.version.data, d.regionName),
        )
      : [],
    history: historyView(d.history, r.category),
  };
}
