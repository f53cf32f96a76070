import { campaignRepo } from '../data/campaign';
import { regulatorAgency } from './agencyAccess';
import { chinaDay, overdueCutoffs } from '../domain/campaign';
import type { AgencyLevel } from '../domain/orgTree';
import type { Knex } from 'knex';
import type { ServiceDeps } from './deps';
import type { CurrentUser } from './session';
import { NotFound } from '../domain/errors';
import { categories, findField, MINE_CATEGORIES } from '../domain/systems';
import {
  addGroup,
  daysWaiting,
  emptyCounts,
  foldSafety,
  groupMinerals,
  reviewLevelOf,
  scopeLabel,
  storedRate,
  sumCounts,
  type CensusCounts,
  type MineralGroupCount,
  type ReviewLevel,
  type SafetyGroup,
  type Tally,
} from '../domain/stats';
import { licenceWindow, type LicenceWindow } from '../domain/licence';
import { orgRepo, type AgencyRow } from '../data/org';
import { statsRepo, type CensusGroupRow } from '../data/stats';
import { shortCache } from './shortCache';

export interface CensusRow {
  /** The agency the row stands for: a child of the scope, or the scope itself. */
  code: string;
  label: string;
  name: string;
  /** child: a subordinate agency's subtree; direct: what the scope supervises itself. */
  kind: 'child' | 'direct' | 'total';
  /** Tree order, for the default sort. */
  order: number;
  counts: CensusCounts;
  rate: number | null;
  oldestDays: number | null;
}

export interface Distribution {
  code: string;
  label: string;
  count: number;
  /** One of the form's options (a value outside them, from older data, has no filter). */
  known: boolean;
}

export interface SafetyFigures {
  storedTotal: number;
  categories: Distribution[];
  minerals: MineralGroupCount[];
  mineTotal: number;
  scales: Distribution[];
  tailingsTotal: number;
  grades: Distribution[];
  safetyDegrees: Distribution[];
  overhead: { ponds: number; people: number };
  licences: { expired: number; expiring: number };
  productionStatus: Distribution[];
}

export interface ScopeInfo {
  code: string;
  name: string;
  label: string;
  /** The viewer's own agency (no ?region= needed to come back here). */
  isViewer: boolean;
  /** No subordinate agencies: the census table is the scope's own row. */
  isLeaf: boolean;
  /** An offshore unit (海油安办 or below): its review levels have offshore names. */
  offshore: boolean;
}

export interface StatsReport {
  asOf: Date;
  /** Seconds the figures are reused before they are refreshed (0: computed for this request). */
  refreshSeconds: number;
  licenceWindow: LicenceWindow;
  viewer: { code: string; reviewLevel: ReviewLevel };
  scope: ScopeInfo;
  /** From the viewer's agency down to the scope (drill-down breadcrumb). */
  trail: { code: string; label: string }[];
  census: { rows: CensusRow[]; direct: CensusRow | null; total: CensusRow };
  /** 超期待审核 per child and level; null while no campaign timetable is set. */
  overdue: OverdueTable | null;
  safety: SafetyFigures;
}

/** Where overdue items wait: the viewer's own agency ('here'), or a level below it. */
export type OverdueColumn = 'here' | AgencyLevel;

export interface OverdueRow {
  code: string;
  label: string;
  kind: 'child' | 'direct' | 'total';
  counts: Partial<Record<OverdueColumn, number>>;
}

export interface OverdueTable {
  /** The columns with at least one overdue item, 'here' first, then the chain's levels upwards. */
  columns: OverdueColumn[];
  rows: OverdueRow[];
  total: OverdueRow;
}

/** Lower levels listed from the top down (the way a regulator reads its subtree). */
const OVERDUE_LEVEL_ORDER: readonly AgencyLevel[] = ['offshore', 'province', 'city', 'county'];

/** The options of an enumerated field, counted; values outside the list are appended as they are. */
function distribution(category: string, field: string, counts: Tally): Distribution[] {
  const options = findField(category, field)?.options ?? [];
  const known = new Set(options.map((o) => o.value));
  const rows = options.map((o) => ({
    code: o.value,
    label: o.label,
    count: counts.get(o.value) ?? 0,
    known: true,
  }));
  for (const [code, count] of counts)
    if (!known.has(code ?? '')) rows.push({ code: code ?? '', label: code ?? '未填写', count, known: false });
  return rows;
}

function safetyFigures(groups: readonly SafetyGroup[]): SafetyFigures {
  const c = foldSafety(groups);
  const count = (category: string) => c.categories.get(category) ?? 0;
  const categoryCounts = categories.map((d) => ({
    code: d.code,
    label: d.label,
    count: count(d.code),
    known: true,
  }));
  return {
    storedTotal: categoryCounts.reduce((sum, d) => sum + d.count, 0),
    categories: categoryCounts,
    minerals: groupMinerals(c.minerals),
    mineTotal: MINE_CATEGORIES.reduce((sum, m) => sum + count(m), 0),
    scales: distribution('underground', 'scale', c.scales),
    tailingsTotal: count('tailings'),
    grades: distribution('tailings', 'grade', c.grades),
    safetyDegrees: distribution('tailings', 'safety_degree', c.safetyDegrees),
    overhead: c.overhead,
    licences: c.licences,
    productionStatus: distribution('underground', 'production_status', c.productionStatus),
  };
}

/**
 * 统计分析 for a regulator's jurisdiction, or for an agency below it (`?region=`). The same
 * handful of queries whatever the size of the subtree: the scope and its chain, its children,
 * the census positions grouped by child, and the safety figures of the stored versions.
 */
export function statsService(knex: Knex, deps: ServiceDeps) {
  const org = orgRepo(knex);
  const repo = statsRepo(knex);
  // The two national-scale aggregates are reused for a minute and refreshed behind the page
  // (services/shortCache.ts): the page says when they were taken, and 32 regulators opening it
  // together cost one computation, not 32, and do not wait for it.
  const cacheMs = deps.config.statsCacheSeconds * 1000;
  const aggregates = shortCache<{ at: Date; groups: CensusGroupRow[]; safety: SafetyGroup[] }>(cacheMs);
  const aggregatesFor = (scope: AgencyRow, window: LicenceWindow) =>
    aggregates(`${scope.id}|${JSON.stringify(window)}`, async () => {
      const [groups, safety] = await Promise.all([repo.census(scope), repo.safety(scope, window)]);
      return { at: new Date(), groups, safety };
    });

  /** The national figures computed before a regulator asks for them (and refreshed ahead). */
  async function warmUp(): Promise<void> {
    const root = cacheMs > 0 ? await org.root() : undefined;
    if (root) await aggregatesFor(root, licenceWindow(new Date()));
  }

  /** The agency to report on: the viewer's own, or one in its subtree named by code or id. */
  async function resolveScope(
    user: CurrentUser,
    region: unknown,
  ): Promise<{ viewer: AgencyRow; scope: AgencyRow }> {
    const viewer = await regulatorAgency(knex, user);
    if (region === undefined || region === '') return { viewer, scope: viewer };
    if (typeof region !== 'string' || region.length > 40)
      throw new NotFound('该地区不存在或不在本部门管辖范围内');
    let scope = await org.agencyByCode(region);
    if (!scope && /^\d{1,9}$/.test(region)) scope = await org.agencyById(Number(region));
    // Outside the viewer's subtree is as good as absent (SPEC §7: 404, never another's data).
    if (!scope || !scope.path.startsWith(viewer.path))
      throw new NotFound('该地区不存在或不在本部门管辖范围内');
    return { viewer, scope };
  }

  /** The overdue figures of the scope (not cached: a few grouped pending rows, and they should move as items are handled). */
  async function overdueTable(
    viewer: AgencyRow,
    scope: AgencyRow,
    children: readonly CensusRow[],
    hasDirect: boolean,
    now: Date,
  ): Promise<OverdueTable | null> {
    const round = await campaignRepo(knex).current();
    if (!round) return null;
    const groups = await repo.overdue(scope, viewer.id, overdueCutoffs(round.limits, chinaDay(now)));
    const byChild = new Map<string, Partial<Record<OverdueColumn, number>>>();
    const seen = new Set<OverdueColumn>();
    for (const g of groups) {
      const col: OverdueColumn = g.atViewer ? 'here' : g.level;
      seen.add(col);
      const counts = byChild.get(g.childCode) ?? {};
      counts[col] = (counts[col] ?? 0) + g.count;
      byChild.set(g.childCode, counts);
    }
    const columns = (['here', ...OVERDUE_LEVEL_ORDER] as OverdueColumn[]).filter((c) => seen.has(c));
    const rows: OverdueRow[] = children.map((c) => ({
      code: c.code,
      label: c.label,
      kind: 'child',
      // A leaf scope has one row, itself: what it supervises directly.
      counts: byChild.get(children.length === 1 && c.code === scope.code ? '' : c.code) ?? {},
    }));
    const own = byChild.get('');
    if (own && !(children.length === 1 && children[0]!.code === scope.code) && (hasDirect || own))
      rows.push({ code: scope.code, label: '本级直接监管', kind: 'direct', counts: own });
    const total: OverdueRow = { code: scope.code, label: '合计', kind: 'total', counts: {} };
    for (const r of rows)
      for (const [col, n] of Object.entries(r.counts) as [OverdueColumn, number][])
        total.counts[col] = (total.counts[col] ?? 0) + n;
    return { columns, rows, total };
  }

  return {
    warmUp,

    /**
     * Keeps the national figures warm while the server runs, looked at or not (about 0.3 s of
     * database work a minute), so that even the first national page after a quiet spell is
     * served at once. Returns the stop.
     */
    keepWarm(onError: (err: unknown) => void): () => void {
      if (cacheMs <= 0) return () => undefined;
      const warm = () => void warmUp().catch(onError);
      warm();
      const timer = setInterval(warm, cacheMs / 2);
      timer.unref();
      return () => clearInterval(timer);
    },

    async report(user: CurrentUser, region: unknown, now: Date = deps.now()): Promise<StatsReport> {
      const { viewer, scope } = await resolveScope(user, region);
      const window = licenceWindow(now);
      const [children, { at, groups, safety }, chain] = await Promise.all([
        org.namedChildrenOf(scope.id),
        aggregatesFor(scope, window),
        org.namedChainOf(scope.id),
      ]);
      // The breadcrumb: the chain from the viewer's agency down to the scope.
      const trail = chain.filter((a) => a.depth >= viewer.depth);

      const countsByChild = new Map<string, CensusCounts>();
      for (const g of groups)
        countsByChild.set(g.childCode, addGroup(countsByChild.get(g.childCode) ?? emptyCounts(), g));
      const row = (
        agency: { code: string; name: string },
        label: string,
        kind: CensusRow['kind'],
        order: number,
        counts: CensusCounts,
      ): CensusRow => ({
        code: agency.code,
        label,
        name: agency.name,
        kind,
        order,
        counts,
        rate: storedRate(counts),
        oldestDays: daysWaiting(counts.oldestSince, now),
      });

      const scopeName = scopeLabel(scope, trail[trail.length - 1]?.region_name ?? null);
      const own = countsByChild.get('') ?? emptyCounts();
      const isLeaf = children.length === 0;
      const rows = isLeaf
        ? [row(scope, scopeName, 'child', 0, own)]
        : children.map((c, i) =>
            row(c, scopeLabel(c, c.region_name), 'child', i, countsByChild.get(c.code) ?? emptyCounts()),
          );
      const direct = !isLeaf && own.total > 0 ? row(scope, '本级直接监管', 'direct', rows.length, own) : null;
      const total = row(
        scope,
        '合计',
        'total',
        rows.length + 1,
        sumCounts([...rows, ...(direct ? [direct] : [])].map((r) => r.counts)),
      );

      const overdue = await overdueTable(viewer, scope, rows, direct !== null || own.total > 0, now);

      return {
        asOf: at,
        refreshSeconds: deps.config.statsCacheSeconds,
        licenceWindow: window,
        viewer: { code: viewer.code, reviewLevel: reviewLevelOf(viewer.level, viewer.depth) },
        scope: {
          code: scope.code,
          name: scope.name,
          label: scopeName,
          isViewer: scope.id === viewer.id,
          isLeaf,
          offshore: scope.level === 'offshore',
        },
        trail: trail.map((a) => ({ code: a.code, label: scopeLabel(a, a.region_name) })),
        census: { rows, direct, total },
        overdue,
        safety: safetyFigures(safety),
      };
    },
  };
}

export type StatsService = ReturnType<typeof statsService>;
