/**
 * The 统计分析 page as plain data: labels resolved, every figure with the link to the list that
 * shows the same systems (or none where the viewer cannot see them), charts as SVG markup.
 */
import { paths, withQuery } from '../../paths';
import {
  CENSUS_COLUMNS,
  censusColumnsFor,
  censusValue,
  DEFAULT_SORT,
  formatRate,
  formatSort,
  censusFigureList,
  nextSort,
  sortCensusRows,
  type CensusFigureList,
  type CensusSort,
  type CensusSortKey,
} from '../../domain/stats';
import type {
  CensusRow,
  Distribution,
  OverdueColumn,
  OverdueRow,
  OverdueTable,
  StatsReport,
} from '../../services/stats';
import type { AgencyLevel } from '../../domain/orgTree';
import type { TagView } from './labels';
import { LICENCE_WARNING_DAYS } from '../../domain/licence';
import { categoryChart, progressChart, safetyDegreeChart, type DegreeBar } from './charts';
import { formatNumber } from '../viewHelpers';

export interface CellView {
  text: string;
  href: string | null;
}

export interface CensusRowView {
  label: string;
  title: string;
  href: string | null;
  kind: CensusRow['kind'];
  cells: CellView[];
}

export interface ColumnView {
  label: string;
  unit?: string;
  href: string;
  /** aria-sort value when the table is sorted by this column. */
  sorted: 'ascending' | 'descending' | null;
}

export interface FigureView {
  code: string;
  label: string;
  count: number;
  text: string;
  href: string | null;
  share?: string;
  tag?: TagView;
  /** 座 / 个, where the figure stands alone (需重点关注). */
  unit?: string;
}

export interface MineralGroupView {
  group: string;
  count: number;
  minerals: FigureView[];
}

/** Where the stored query lists the systems a figure counts (its agreed parameter names). */
export type StoredFilter = Partial<
  Record<
    | 'category'
    | 'mineral'
    | 'scale'
    | 'production_status'
    | 'grade'
    | 'safety_degree'
    | 'overhead'
    | 'licence'
    | 'direct',
    string
  >
>;

/** Tags for the tailings safety degrees a regulator must act on, most severe first. */
export const DEGREE_TAGS: Readonly<Record<string, TagView>> = Object.freeze({
  critical: { label: '危库', tone: 'red' },
  dangerous: { label: '险库', tone: 'red' },
  sick: { label: '病库', tone: 'amber' },
});
const ALERT_DEGREES = Object.keys(DEGREE_TAGS);

const int = formatNumber;

export function statsHref(region: string | undefined, sort: CensusSort = DEFAULT_SORT): string {
  return withQuery(paths.stats.show(), {
    region,
    sort:
      sort.key === DEFAULT_SORT.key && sort.descending === DEFAULT_SORT.descending
        ? undefined
        : formatSort(sort),
  });
}

export function statsXlsxHref(region: string | undefined, sort: CensusSort = DEFAULT_SORT): string {
  return statsHref(region, sort).replace(paths.stats.show(), paths.stats.xlsx());
}

export function storedHref(region: string | undefined, filter: StoredFilter = {}): string {
  return withQuery(paths.stored.list(), { region, ...filter });
}

/** The URL of the list a census figure opens (domain/stats.ts `censusFigureList`). */
export function censusListHref(target: CensusFigureList): string {
  const direct = target.direct ? '1' : undefined;
  switch (target.list) {
    case 'stored':
      return storedHref(target.region, direct ? { direct } : {});
    case 'review':
      return withQuery(paths.review.list(), { region: target.region, direct, census: target.census });
    case 'tracking':
      return withQuery(paths.tracking.list(), {
        status: 'upper_pending',
        region: target.region,
        direct,
        level: target.level,
        census: target.census,
      });
  }
}

export interface OverdueTableView {
  columns: { key: OverdueColumn; label: string }[];
  rows: { label: string; kind: OverdueRow['kind']; cells: CellView[]; urgeHref: string | null }[];
  total: { label: string; cells: CellView[] };
}

const OVERDUE_COLUMN_LABELS: Record<OverdueColumn, string> = {
  here: '本单位',
  offshore: '海油安办',
  province: '省级',
  city: '市级',
  county: '县级',
  national: '总局',
};

/**
 * 超期待审核 per child region and level. What waits at the viewer's own agency opens 待审核 with
 * the 超期 filter and that region (the same predicate, so the list's total is the figure); what
 * waits below opens the 催办 page of that region and level (`lowerHref`), which lists them.
 */
export function overdueTableView(
  table: OverdueTable | null,
  viewerCode: string,
  lowerHref: (row: OverdueRow, level: AgencyLevel | undefined) => string | null,
): OverdueTableView | null {
  if (!table) return null;
  const cells = (row: OverdueRow): CellView[] =>
    table.columns.map((col) => {
      const n = row.counts[col] ?? 0;
      if (!n) return { text: '0', href: null };
      const href =
        col === 'here'
          ? withQuery(paths.review.list(), {
              overdue: '1',
              region: row.kind === 'total' ? undefined : row.kind === 'direct' ? viewerCode : row.code,
            })
          : lowerHref(row, col);
      return { text: int(n), href };
    });
  const lowerCount = (row: OverdueRow): number =>
    Object.entries(row.counts).reduce((a, [col, n]) => a + (col === 'here' ? 0 : (n ?? 0)), 0);
  return {
    columns: table.columns.map((key) => ({ key, label: OVERDUE_COLUMN_LABELS[key] })),
    // Only the regions that are late: the national page names a handful, not all 34 provinces.
    rows: table.rows
      .filter((r) => Object.values(r.counts).some((n) => (n ?? 0) > 0))
      .map((r) => ({
        label: r.label,
        kind: r.kind,
        cells: cells(r),
        urgeHref: lowerCount(r) > 0 ? lowerHref(r, undefined) : null,
      })),
    total: { label: table.total.label, cells: cells(table.total) },
  };
}

/** Builds the page's view model from the report. */
export function statsPageView(report: StatsReport, sort: CensusSort) {
  const scopeRegion = report.scope.isViewer ? undefined : report.scope.code;
  const regionParam = (code: string): string | undefined => (code === report.viewer.code ? undefined : code);
  const stored = (filter: StoredFilter, count: number): string | null =>
    count > 0 ? storedHref(scopeRegion, filter) : null;

  // -- census -----------------------------------------------------------------------------
  const cellsOf = (row: CensusRow): CellView[] =>
    CENSUS_COLUMNS.map(({ key }) => {
      const value = censusValue(row, key);
      if (key === 'rate') return { text: formatRate(row.rate), href: null };
      if (key === 'oldest') return { text: value === null ? '—' : int(value), href: null };
      const n = value ?? 0;
      const target = n > 0 ? censusFigureList(report, row, key) : null;
      return { text: int(n), href: target && censusListHref(target) };
    });
  const rowView = (row: CensusRow): CensusRowView => ({
    label: row.label,
    title: row.name,
    href: row.kind === 'child' && !report.scope.isLeaf ? statsHref(regionParam(row.code), sort) : null,
    kind: row.kind,
    cells: cellsOf(row),
  });
  const sortedRows = sortCensusRows(report.census.rows, sort);
  const column = (key: CensusSortKey, label: string): ColumnView => ({
    label,
    href: statsHref(scopeRegion, nextSort(sort, key)),
    sorted: sort.key === key ? (sort.descending ? 'descending' : 'ascending') : null,
  });

  const chartRows = [...sortedRows, ...(report.census.direct ? [report.census.direct] : [])];
  const total = report.census.total.counts;

  // -- safety -----------------------------------------------------------------------------
  const s = report.safety;
  const figures = (d: readonly Distribution[], filter: (code: string) => StoredFilter): FigureView[] =>
    d.map((x) => ({
      code: x.code,
      label: x.label,
      count: x.count,
      text: int(x.count),
      href: x.known ? stored(filter(x.code), x.count) : null,
    }));
  const licenceFigure = (
    label: string,
    tone: TagView['tone'],
    licence: string,
    count: number,
  ): FigureView => ({
    code: licence,
    label,
    count,
    text: int(count),
    href: stored({ licence }, count),
    tag: { label, tone },
  });
  const share = (n: number, of: number): string => (of === 0 ? '—' : formatRate(n / of));
  const degrees = figures(s.safetyDegrees, (code) => ({ category: 'tailings', safety_degree: code })).map(
    (f) => ({ ...f, tag: DEGREE_TAGS[f.code] }),
  );
  const degreeBars: DegreeBar[] = degrees.map((d) => ({
    label: d.label,
    count: d.count,
    tone: !d.tag ? 'normal' : d.tag.tone === 'red' ? 'danger' : 'warning',
  }));
  const licences = [
    licenceFigure('已过期', 'red', 'expired', s.licences.expired),
    licenceFigure(`${LICENCE_WARNING_DAYS}天内到期`, 'amber', 'expiring', s.licences.expiring),
  ];
  // 需重点关注: 危库, 险库, 病库, then licences, each only when there are any.
  const warnings: FigureView[] = [
    ...degrees
      .filter((d) => d.tag)
      .sort((a, b) => ALERT_DEGREES.indexOf(a.code) - ALERT_DEGREES.indexOf(b.code))
      .map((d): FigureView => ({ ...d, unit: '座' })),
    ...licences.map((l): FigureView => ({
      ...l,
      tag: undefined,
      label: `安全生产许可证${l.label}`,
      unit: '个',
    })),
  ].filter((f) => f.count > 0);

  return {
    scope: report.scope,
    overdue: overdueTableView(report.overdue, report.viewer.code, (row, level) =>
      paths.urges.new({
        region: row.code,
        direct: row.kind === 'direct',
        level,
        back: statsHref(scopeRegion, sort),
      }),
    ),
    asOf: report.asOf,
    refreshNote: refreshNote(report.refreshSeconds),
    trail: report.trail.map((t, i) => ({
      label: t.label,
      href: i === report.trail.length - 1 ? null : statsHref(regionParam(t.code), sort),
    })),
    xlsxHref: statsXlsxHref(scopeRegion, sort),
    summary: [
      { label: '已填报', text: int(total.filed) },
      { label: '审核中', text: int(total.reviewTotal) },
      { label: '已退回', text: int(total.returned) },
      { label: '已入库', text: int(total.stored) },
      { label: '入库率', text: formatRate(report.census.total.rate) },
    ],
    census: {
      nameColumn: column('name', report.scope.isLeaf ? '单位' : '地区/单位'),
      columns: censusColumnsFor(report.scope.offshore).map((c) => ({
        ...column(c.key, c.label),
        unit: c.unit,
        review: c.review === true,
      })),
      rows: sortedRows.map(rowView),
      direct: report.census.direct ? rowView(report.census.direct) : null,
      total: rowView(report.census.total),
      empty: total.total === 0,
      chart:
        total.total === 0
          ? null
          : progressChart(
              chartRows.map((r) => ({
                label: r.label,
                stored: r.counts.stored,
                review: r.counts.reviewTotal,
                returned: r.counts.returned,
                notFiled: r.counts.notFiled,
              })),
              `${report.scope.label}普查进度`,
            ),
    },
    safety: {
      storedTotal: s.storedTotal,
      storedHref: stored({}, s.storedTotal),
      warnings,
      categories: figures(s.categories, (code) => ({ category: code })).map((f) => ({
        ...f,
        share: share(f.count, s.storedTotal),
      })),
      categoryChart: s.storedTotal === 0 ? null : categoryChart(s.categories),
      mineTotal: s.mineTotal,
      minerals: s.minerals.map((g) => ({
        group: g.group,
        count: g.count,
        minerals: g.minerals.map((m) => ({
          code: m.code,
          label: m.label,
          count: m.count,
          text: int(m.count),
          href: m.known ? stored({ mineral: m.code }, m.count) : null,
        })),
      })),
      scales: figures(s.scales, (code) => ({ scale: code })),
      tailingsTotal: s.tailingsTotal,
      grades: figures(s.grades, (code) => ({ category: 'tailings', grade: code })),
      degrees,
      degreeChart: s.tailingsTotal === 0 ? null : safetyDegreeChart(degreeBars),
      overhead: {
        ponds: int(s.overhead.ponds),
        people: int(s.overhead.people),
        href: stored({ category: 'tailings', overhead: '1' }, s.overhead.ponds),
      },
      licences,
      licenceWindow: report.licenceWindow,
      productionStatus: figures(s.productionStatus, (code) => ({ production_status: code })),
    },
  };
}

export type StatsPageView = ReturnType<typeof statsPageView>;

/** Said beside the figures' time, so that an approval just made is not taken for lost. */
export function refreshNote(seconds: number): string | null {
  if (seconds <= 0) return null;
  const every = seconds % 60 === 0 ? `${seconds / 60} 分钟` : `${seconds} 秒`;
  return `统计数据每 ${every}更新一次，刚完成的审核、入库约 ${every}内计入。`;
}
