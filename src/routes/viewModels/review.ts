import { openedFrom, paths, withQuery } from '../../paths';
import { approveConfirm, approveHint, replacesStored, returnPhrase } from '../../domain/reviewOutcome';
import { ARRIVALS, arrivalLabel, type Arrival } from '../../domain/workflow';
import { categories, categoryByCode, fieldLabel, type Category } from '../../domain/systems';
import { queryReader } from '../../services/queryParams';
import type { ReviewFormValues } from '../../domain/reviewForms';
import type {
  ListOptions,
  PendingList,
  PendingQuery,
  PendingSort,
  ReviewDetail,
  SystemHistory,
} from '../../services/review';
import { arrivalTag, CHANGE_TAG, type TagView } from './labels';
import { historyView, positionLabel, type HistoryEntryView } from './history';
import { changedCount, systemDataView, withRegionNames, type DataSectionView } from './systemData';
import { pageParam, paginationView, type PaginationView } from './pagination';
import { viewHelpers } from '../viewHelpers';
import { CENSUS_BUCKETS, type CensusBucket } from '../../domain/stats';
import { changeOf, openRoundFields } from '../../domain/filingRounds';
import { censusNoteView, type CensusNoteView } from './labels';

// ---------------------------------------------------------------------------------------------
// The pending list (待审核)

export const SORTS: readonly { value: PendingSort; label: string }[] = [
  { value: 'due', label: '审核期限最早优先' },
  { value: 'waiting', label: '等待最久优先' },
  { value: 'recent', label: '最近到达优先' },
  { value: 'name', label: '系统名称' },
  { value: 'enterprise', label: '企业名称' },
];
const DEFAULT_SORT: PendingSort = 'waiting';
const TEXT_MAX = 50;

export interface ListParams extends PendingQuery {
  selected?: number;
  /** Filters ignored because their value was not understood (services/queryParams.ts). */
  notUnderstood: string[];
}

export function parseListParams(query: Record<string, unknown>): ListParams {
  const { str, oneOf, text, notUnderstood } = queryReader(query);
  const arrival = oneOf<Arrival>('state', ARRIVALS, '状态');
  const category = oneOf<Category>(
    'category',
    categories.map((c) => c.code),
    '类别',
  );
  const census = oneOf<CensusBucket>('census', CENSUS_BUCKETS, '统计口径');
  const overdue = oneOf<'1'>('overdue', ['1'], '超期') === '1' || undefined;
  const region = str('region', '地区');
  const sort = str('sort');
  const selected = str('selected');
  return {
    arrival,
    category,
    region: region !== undefined && /^[A-Za-z0-9-]{1,30}$/.test(region) ? region : undefined,
    direct: oneOf<'1'>('direct', ['1'], '本级直接监管') === '1' || undefined,
    census,
    overdue,
    text: text('q', TEXT_MAX),
    sort: SORTS.some((s) => s.value === sort) ? (sort as PendingSort) : DEFAULT_SORT,
    page: pageParam(query.page),
    selected: selected !== undefined && /^\d{1,9}$/.test(selected) ? Number(selected) : undefined,
    notUnderstood,
  };
}

/** The list's URL with these params (defaults left out, so URLs stay short and shareable). */
export function listUrl(p: ListParams, change: Partial<ListParams> = {}): string {
  const q = { ...p, ...change };
  return withQuery(paths.review.list(), {
    state: q.arrival,
    category: q.category,
    region: q.region,
    direct: q.direct ? '1' : undefined,
    census: q.census,
    overdue: q.overdue ? '1' : undefined,
    q: q.text,
    sort: q.sort === DEFAULT_SORT ? undefined : q.sort,
    page: q.page > 1 ? q.page : undefined,
    selected: q.selected,
  });
}

export interface PendingRowView {
  id: number;
  name: string;
  categoryLabel: string;
  tag: TagView;
  enterpriseName: string;
  creditCode: string;
  regionName: string;
  supervisingAgencyName: string;
  arrivedAt: Date;
  waitDays: number;
  /** '', 'long' (≥ 7 days) or 'overdue' (≥ 30 days): a hint, always with the number. */
  waitLevel: '' | 'long' | 'overdue';
  /** 审核期限 (due day) and 剩余 N 天 / 超期 N 天; null while no timetable is set. */
  due: { date: string; label: string; overdue: boolean } | null;
  /** 变更 of a stored system (shown beside the arrival). */
  changeTag: TagView | null;
  detailHref: string;
  historyHref: string;
  /** The history as a fragment, for the inline panel (JavaScript). */
  historyFragmentHref: string;
  selected: boolean;
  /** 上级退回 can only be returned further: never offered for bulk approve. */
  bulkable: boolean;
}

export interface HistoryPanelView {
  id: number;
  name: string;
  history: HistoryEntryView[];
  detailHref: string;
  closeHref: string | null;
}

export interface PendingListView {
  params: ListParams;
  tabs: { label: string; count: number; href: string; current: boolean; tone: string }[];
  categoryOptions: { value: string; label: string }[];
  regionOptions: { value: string; label: string }[];
  sortOptions: typeof SORTS;
  /** The review limit at this agency, in words; null while no timetable is set (said once). */
  limitNote: string | null;
  /** 催办 the overdue items below this agency (of the region filtered on), when it has lower agencies. */
  urgeHref: string | null;
  /** The 超期 filter: how many are overdue, and the link that turns it on or off. */
  overdueFilter: { count: number; on: boolean; href: string } | null;
  rows: PendingRowView[];
  total: number;
  allTotal: number;
  filtered: boolean;
  /** Opened from a statistics figure: the census bucket the list is narrowed to, and the way out. */
  censusNote: CensusNoteView | null;
  /** Filtered by more than the arrival tabs (the tab counts are then counts of the filtered set). */
  narrowed: boolean;
  /** Has lower agencies (so 下级报送 can arrive). */
  hasChildren: boolean;
  pagination: PaginationView;
  clearHref: string;
  /** Where the bulk form sends the user back to (this very list). */
  backHref: string;
  panel: HistoryPanelView | null;
}

/** The history below the list; `list` is the list it belongs to (its 查看详情 leads back there). */
export function historyPanelView(
  h: SystemHistory,
  closeHref: string | null,
  list = closeHref,
): HistoryPanelView {
  return {
    id: h.id,
    name: h.name,
    history: historyView(h.rows, h.category),
    detailHref: list ? openedFrom(paths.review.show(h.id), list) : paths.review.show(h.id),
    closeHref,
  };
}

export function pendingListView(
  params: ListParams,
  list: PendingList,
  options: ListOptions,
  panel: SystemHistory | null,
  now = new Date(),
): PendingListView {
  const shown: ListParams = {
    ...params,
    page: list.page,
    region: list.region,
    direct: list.direct,
    overdue: list.overdue || undefined,
  };
  /** This very list (without a selection): where its details, panel and forms lead back to. */
  const here = listUrl(shown, { selected: undefined });
  const withoutArrival =
    list.counts.enterprise_submitted + list.counts.lower_submitted + list.counts.upper_returned;
  // A county never receives 下级报送 (it has no lower agencies): no tab for it.
  const arrivals = ARRIVALS.filter(
    (a) => a !== 'lower_submitted' || options.hasChildren || list.counts[a] > 0,
  );
  return {
    params: shown,
    tabs: [
      {
        label: '全部',
        count: withoutArrival,
        href: listUrl(shown, { arrival: undefined, page: 1, selected: undefined }),
        current: !shown.arrival,
        tone: 'all',
      },
      ...arrivals.map((a) => ({
        label: arrivalLabel(a),
        count: list.counts[a],
        href: listUrl(shown, { arrival: a, page: 1, selected: undefined }),
        current: shown.arrival === a,
        tone: arrivalTag(a).tone,
      })),
    ],
    categoryOptions: categories.map((c) => ({ value: c.code, label: c.shortLabel ?? c.label })),
    regionOptions: options.hasChildren ? options.regions.map((r) => ({ value: r.code, label: r.name })) : [],
    sortOptions: list.limit ? SORTS : SORTS.filter((s) => s.value !== 'due'),
    limitNote: list.limit
      ? `${list.limit.roundName}：本级审核时限 ${list.limit.days} 个工作日（自到达本单位次日起计算），超过审核期限的显示为“超期”。`
      : null,
    urgeHref:
      list.limit && options.hasChildren
        ? paths.urges.new({ region: shown.region, direct: shown.direct, back: here })
        : null,
    overdueFilter: list.limit
      ? {
          count: list.overdueCount,
          on: list.overdue,
          href: listUrl(shown, { overdue: list.overdue ? undefined : true, page: 1, selected: undefined }),
        }
      : null,
    rows: list.rows.map((r) => {
      const waitDays = viewHelpers.daysSince(r.arrivedAt, now);
      return {
        id: r.id,
        name: r.name,
        categoryLabel: r.categoryLabel,
        tag: arrivalTag(r.arrival),
        enterpriseName: r.enterpriseName,
        creditCode: r.creditCode,
        regionName: r.regionName,
        supervisingAgencyName: r.supervisingAgencyName,
        arrivedAt: r.arrivedAt,
        waitDays,
        waitLevel: waitDays >= 30 ? 'overdue' : waitDays >= 7 ? 'long' : '',
        due: r.due ? { date: r.due.due, label: r.due.label, overdue: r.due.lateness.overdue } : null,
        changeTag: r.change ? CHANGE_TAG : null,
        detailHref: openedFrom(paths.review.show(r.id), here),
        // The inline panel's 查看详情 then also leads back to this list.
        historyFragmentHref: openedFrom(paths.review.history(r.id), here),
        historyHref: `${listUrl(shown, { selected: r.id })}#history-panel`,
        selected: shown.selected === r.id,
        bulkable: r.arrival !== 'upper_returned',
      };
    }),
    total: list.total,
    allTotal: withoutArrival,
    filtered: Boolean(
      shown.arrival || shown.category || shown.region || shown.text || shown.census || list.overdue,
    ),
    censusNote: censusNoteView(
      shown.census,
      listUrl(shown, { census: undefined, page: 1, selected: undefined }),
    ),
    narrowed: Boolean(shown.category || shown.region || shown.text || list.overdue),
    hasChildren: options.hasChildren,
    pagination: paginationView(
      list.total,
      list.page,
      (page) => listUrl(shown, { page, selected: undefined }),
      list.pageSize,
    ),
    clearHref: listUrl({ sort: shown.sort, page: 1, notUnderstood: [] }),
    backHref: here,
    panel: panel ? historyPanelView(panel, here) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The detail (详情)

export interface FieldChoiceView {
  code: string;
  label: string;
  checked: boolean;
  flagged: boolean;
}

export interface ReviewDetailView {
  id: number;
  name: string;
  categoryLabel: string;
  seq: number;
  arrivalTag: TagView | null;
  /** A 变更 of a stored system: its tag and what it is, in words. */
  change: { tag: TagView; text: string } | null;
  arrivedAt: Date;
  waitDays: number;
  /** 应于 X 前审核 / 已超期 N 天, at the agency where it is pending; null without a timetable. */
  due: { text: string; overdue: boolean } | null;
  pendingHere: boolean;
  positionNow: string;
  supervisingAgencyName: string;
  enterpriseFacts: { label: string; value: string }[];
  upperReturn: { agency: string; actor: string; at: Date; note: string; fields: string[] } | null;
  version: number;
  submittedAt: Date;
  previousVersion: number | null;
  sections: DataSectionView[];
  changedCount: number;
  flaggedCount: number;
  changesOnly: boolean;
  changesOnlyHref: string;
  allFieldsHref: string;
  /** The pending list it was opened from (with its filters), and that list's query for the forms. */
  backHref: string;
  from: string;
  history: HistoryEntryView[];
  canApprove: boolean;
  canReturn: boolean;
  /** Asked before a national approval (入库); null elsewhere. */
  approveConfirm: string | null;
  /**
   * An approval to store was posted without the browser's confirmation: the page asks, and its
   * form carries the seq of the page first posted (a page gone stale meanwhile stays refused).
   */
  confirming: { seq: number } | null;
  /** 通过后报送至 X / 通过后正式入库. */
  approveHint: string | null;
  /** 退回至 X / 退回企业（名称）. */
  returnPhrase: string | null;
  fieldGroups: { title: string; fields: FieldChoiceView[]; checkedCount: number }[];
  form: ReviewFormValues;
  errors: Record<string, string>;
  conflict: string | null;
}

/** 应于 X 前审核 / 已超期 N 天 (naming where it waits when that is not the reader's agency). */
export function dueText(
  due: { due: string; lateness: { overdue: boolean }; label: string },
  waitingAt: string | null,
): { text: string; overdue: boolean } {
  const where = waitingAt ? `${waitingAt}` : '';
  const l = due.lateness as { overdue: true; daysLate: number } | { overdue: false; daysLeft: number };
  return l.overdue
    ? { text: `${where}已超期 ${l.daysLate} 天（应于 ${due.due} 前审核）`, overdue: true }
    : { text: `${where}应于 ${due.due} 前审核（${due.label}）`, overdue: false };
}

const orDash = (v: string | null | undefined): string => (v && v.trim() ? v : '—');

export function reviewDetailView(
  d: ReviewDetail,
  opts: {
    changesOnly: boolean;
    form?: Partial<ReviewFormValues>;
    errors?: Record<string, string>;
    conflict?: string | null;
    confirming?: { seq: number | undefined };
    now?: Date;
    /** The list it was opened from, as `backToList` gives it. */
    backHref?: string;
  },
): ReviewDetailView {
  const backHref = opts.backHref ?? paths.review.list();
  const from = backHref.includes('?') ? backHref.slice(backHref.indexOf('?') + 1) : '';
  const s = d.system;
  const flagged = openRoundFields(d.history);
  const change = changeOf(s.storedVersion, d.current.version);
  const all = withRegionNames(
    systemDataView(s.category, d.current.data, { previous: d.previous?.data ?? null, flagged }),
    s.category,
    d.regionNames,
  );
  const sections = opts.changesOnly
    ? all
        .map((sec) => ({ ...sec, rows: sec.rows.filter((r) => r.changed || r.flagged) }))
        .filter((sec) => sec.rows.length > 0)
    : all;
  const upper = d.upperReturn;
  // Passing a return down usually keeps the upper level's fields: ticked unless the form says otherwise.
  const ticked = new Set(opts.form?.fields ?? upper?.fields ?? []);
  const def = categoryByCode(s.category);
  // The facts the version froze at submission; the enterprise's current ones for older versions.
  const e = d.enterprise;
  const contact = [e.contactName, e.contactPhone, e.contactMobile].filter((x) => x && x.trim()).join('  ');
  return {
    id: s.id,
    name: s.name,
    categoryLabel: s.categoryLabel,
    seq: s.seq,
    arrivalTag: d.pendingHere && s.arrival ? arrivalTag(s.arrival) : null,
    change: change
      ? {
          tag: CHANGE_TAG,
          text:
            d.approveTo?.kind === 'stored'
              ? replacesStored(change, d.current.version)
              : `本次为变更：已入库的第 ${change.replaces} 版在本次变更入库前仍为有效版本，各级查询到的仍是该版本。`,
        }
      : null,
    arrivedAt: s.arrivedAt,
    waitDays: viewHelpers.daysSince(s.arrivedAt, opts.now),
    due: s.due ? dueText(s.due, d.pendingHere ? null : s.currentAgencyName) : null,
    pendingHere: d.pendingHere,
    positionNow: positionLabel(s.state, s.currentAgencyName, s.arrival),
    supervisingAgencyName: s.supervisingAgencyName,
    enterpriseFacts: [
      { label: '企业名称', value: e.name + (e.ownerless ? '（无主尾矿库，政府部门代填）' : '') },
      { label: '统一社会信用代码', value: e.creditCode },
      { label: '所在地区', value: orDash(e.regionName) },
      { label: '直接监管部门', value: e.supervisingAgencyName ?? s.supervisingAgencyName },
      { label: '法定代表人', value: orDash(e.legalRep) },
      { label: '安全负责人', value: orDash(e.safetyHead) },
      { label: '联系人及电话', value: orDash(contact) },
      { label: '通讯地址', value: orDash(e.address) },
    ],
    upperReturn: upper
      ? {
          agency: upper.actorAgencyName ?? '上级单位',
          actor: upper.actorName,
          at: upper.at,
          note: upper.note ?? '',
          fields: upper.fields.map((f) => fieldLabel(s.category, f)),
        }
      : null,
    version: d.current.version,
    submittedAt: d.current.submittedAt,
    previousVersion: d.previous?.version ?? null,
    sections,
    changedCount: changedCount(all),
    flaggedCount: flagged.length,
    changesOnly: opts.changesOnly,
    changesOnlyHref: `${withQuery(paths.review.show(s.id), { changes: 'only', from })}#version-data`,
    allFieldsHref: `${withQuery(paths.review.show(s.id), { from })}#version-data`,
    backHref,
    from,
    history: historyView(d.history, s.category),
    canApprove: d.actions.includes('approve'),
    canReturn: d.actions.includes('return'),
    approveHint: d.approveTo === null ? null : approveHint(d.approveTo, change, d.current.version),
    // Storing cannot be undone by the reviewer: the browser asks once (public/js/app.js).
    approveConfirm: d.approveTo === null ? null : approveConfirm(d.approveTo, change, d.current.version),
    returnPhrase: d.returnTo === null ? null : returnPhrase(d.returnTo, e.name),
    fieldGroups: (def?.sections ?? []).map((sec) => {
      const fields = sec.fields.map((f) => ({
        code: f.code,
        label: f.label,
        checked: ticked.has(f.code),
        flagged: flagged.includes(f.code),
      }));
      return { title: sec.title, fields, checkedCount: fields.filter((f) => f.checked).length };
    }),
    form: { comment: opts.form?.comment ?? '', reason: opts.form?.reason ?? '', fields: [...ticked] },
    errors: opts.errors ?? {},
    conflict: opts.conflict ?? null,
    confirming: opts.confirming ? { seq: opts.confirming.seq ?? s.seq } : null,
  };
}
