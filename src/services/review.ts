import type { Knex } from 'knex';
import { lastPageClamp } from '../domain/paging';
import {
  allowedActions,
  decide,
  isPendingAt,
  positionOf,
  type AllowedAction,
  type Arrival,
} from '../domain/workflow';
import { allFields, categoryByCode, categoryLabel, type Category } from '../domain/systems';
import type { CensusBucket } from '../domain/stats';
import { AppError, NotFound, ValidationFailed } from '../domain/errors';
import { parseBulkIds, type FormParse } from '../domain/reviewForms';
import { orgRepo, type AgencyRow } from '../data/org';
import { systemsRepo, type SystemRow, type VersionRow } from '../data/systems';
import { historyOf, type HistoryEntry } from './history';
import { versionEnterpriseFacts, type EnterpriseFacts } from './enterpriseFacts';
import { systemVersion, type SystemVersion } from './systemVersions';
import { reviewQueries, type PendingFilters, type PendingSort } from '../data/reviewQueries';
import type { ActingUser, Moved, ReviewCommand } from './workflow';
import { bulkOutcome, destinationOf, type Destination } from '../domain/reviewOutcome';
import type { ServiceDeps } from './deps';
import { openSystem, regulatorAgencyId } from './agencyAccess';
import { changeOf, type ChangeOf } from '../domain/filingRounds';
import { chinaDay, itemDue, LIMIT_LABELS, overdueCutoffs, type ReviewLimits } from '../domain/campaign';
import { campaignRepo } from '../data/campaign';
import { overdueBefore } from '../data/overdue';

export type { PendingSort };

export const PENDING_PAGE_SIZE = 20;

/** A form that did not parse, as the workflow raises it (422, or 409 when handled meanwhile). */
function refused(form: Extract<FormParse<unknown>, { ok: false }>): ReviewCommand {
  return { ok: false, errors: form.errors, values: { ...form.values } };
}

/** The list's query as the route read it from the URL (already allow-listed). */
export interface PendingQuery {
  arrival?: Arrival;
  category?: Category;
  /**
   * An agency code: this agency (its own enterprises) or one below it (its subtree; with
   * `direct`, what that agency supervises itself).
   */
  region?: string;
  direct?: boolean;
  /** Only the systems the statistics count in this census bucket (links from 统计分析). */
  census?: CensusBucket;
  /** Only the items past their due date (ignored while no timetable is set). */
  overdue?: boolean;
  text?: string;
  sort: PendingSort;
  page: number;
}

export interface PendingItem {
  id: number;
  name: string;
  category: Category;
  categoryLabel: string;
  arrival: Arrival;
  arrivedAt: Date;
  /** Its due date and 剩余 N 天 / 超期 N 天; null while no campaign timetable is set. */
  due: ItemDue | null;
  /** A 变更 of a stored system: the stored version it would replace. */
  change: ChangeOf | null;
  enterpriseName: string;
  creditCode: string;
  regionName: string;
  supervisingAgencyName: string;
}

export type ItemDue = ReturnType<typeof itemDue>;

/** The review limit that applies at an agency, from the current round's timetable. */
export interface LimitInfo {
  roundName: string;
  days: number;
  label: string;
}

export interface PendingList {
  rows: PendingItem[];
  /** The limit at this agency; null while 总局 has set no timetable (no due dates, no 超期 filter). */
  limit: LimitInfo | null;
  /** Of the list's other filters (not the arrival), how many are overdue. */
  overdueCount: number;
  /** The 超期 filter as applied. */
  overdue: boolean;
  /** Matches of every filter. */
  total: number;
  /** Matches of every filter but the arrival, per arrival (the tabs). */
  counts: Record<Arrival, number>;
  /** The page shown, clamped to the last page. */
  page: number;
  pageSize: number;
  /** The region filter that was applied (an unknown code is ignored, not guessed). */
  region: string | undefined;
  direct: boolean | undefined;
}

export interface RegionOption {
  code: string;
  name: string;
}

export interface ListOptions {
  /** 本级直接监管 first, then the direct child agencies. */
  regions: RegionOption[];
  hasChildren: boolean;
}

export interface ReviewDetail {
  system: {
    id: number;
    name: string;
    category: Category;
    categoryLabel: string;
    state: SystemRow['state'];
    arrival: Arrival | null;
    /** The version in the national database (a 变更 under review replaces it). */
    storedVersion: number | null;
    seq: number;
    arrivedAt: Date;
    /** When pending here and a timetable is set: its due date and lateness. */
    due: ItemDue | null;
    supervisingAgencyName: string;
    currentAgencyName: string | null;
  };
  /** As the current version froze it; the enterprise's current facts for older versions. */
  enterprise: EnterpriseFacts;
  current: SystemVersion;
  previous: SystemVersion | null;
  history: HistoryEntry[];
  /** Full names of the region codes in the two versions (region fields show names, not codes). */
  regionNames: Record<string, string>;
  /** The upper level's return that sent it here, when it arrived as 上级退回. */
  upperReturn: HistoryEntry | null;
  pendingHere: boolean;
  actions: AllowedAction[];
  /** Where each action would send it, in words (null when the action is not allowed). */
  approveTo: Destination | null;
  returnTo: Destination | null;
}

export interface SystemHistory {
  id: number;
  name: string;
  category: Category;
  rows: HistoryEntry[];
}

export interface BulkResult {
  id: number;
  name: string;
  ok: boolean;
  /** Where it went, or why it was refused. */
  message: string;
}

/** 浙江省杭州市西湖区 read by 杭州市's reviewers: 西湖区 (the shared prefix says nothing). */
export function shortRegion(fullName: string | null, ownPrefix: string | null): string {
  if (!fullName) return '—';
  if (ownPrefix && fullName.startsWith(ownPrefix) && fullName.length > ownPrefix.length)
    return fullName.slice(ownPrefix.length);
  return fullName;
}

/** The values of the category's region fields in these versions. */
function regionCodes(category: Category, versions: readonly (VersionRow | undefined)[]): string[] {
  const def = categoryByCode(category);
  const fields = def ? allFields(def).filter((f) => f.widget === 'region') : [];
  const codes = versions.flatMap((v) => fields.map((f) => v?.data[f.code]));
  return [...new Set(codes.filter((c): c is string => typeof c === 'string' && /^\d{6}$/.test(c)))];
}

/**
 * 审核与报送: the pending list, the detail, and the actions as forms. Every transition goes
 * through the workflow service (one transaction each); this service only reads, parses the
 * forms and words the outcome.
 */
export function reviewService(knex: Knex, deps: ServiceDeps) {
  const { workflow, now } = deps;
  const org = orgRepo(knex);
  const systems = systemsRepo(knex);
  const queries = reviewQueries(knex);

  /** The system if this agency may open it (domain/jurisdiction.ts); else 404. */
  function visibleSystem(user: ActingUser, systemId: number): Promise<SystemRow> {
    regulatorAgencyId(user);
    return openSystem(knex, user, systemId);
  }

  /**
   * Resolves the region filter: this agency itself, or one in its subtree (that agency's
   * subtree, or with `direct` its own enterprises). A code outside the subtree is ignored.
   */
  async function regionFilter(
    agency: AgencyRow,
    code: string | undefined,
    direct: boolean,
  ): Promise<Partial<PendingFilters> | null> {
    if (!code && !direct) return null;
    const target = !code || code === agency.code ? agency : await org.agencyByCode(code);
    if (!target || !target.path.startsWith(agency.path)) return null;
    return target.id === agency.id || direct
      ? { supervisingAgencyId: target.id }
      : { supervisingPathPrefix: target.path };
  }

  /** The current round's limits, or null while no timetable is set. */
  async function timetableLimits(): Promise<{ roundName: string; limits: ReviewLimits } | null> {
    const round = await campaignRepo(knex).current();
    return round ? { roundName: round.name, limits: round.limits } : null;
  }

  /** The due date of an item pending at `agencyId`, one of the system's chain. */
  function dueAt(
    chain: readonly AgencyRow[],
    agencyId: number,
    arrivedAt: Date,
    limits: ReviewLimits,
  ): ItemDue | null {
    const at = chain.find((a) => a.id === agencyId);
    return at ? itemDue(arrivedAt, at.level, limits, now()) : null;
  }

  async function ownRegionName(agency: AgencyRow): Promise<string | null> {
    return agency.region_code ? ((await queries.regionFullName(agency.region_code)) ?? null) : null;
  }

  return {
    /** What the filter bar offers this agency. */
    async listOptions(agencyId: number): Promise<ListOptions> {
      const agency = await org.agencyById(agencyId);
      if (!agency) throw new NotFound();
      const children = await org.namedChildrenOf(agencyId);
      return {
        // Regions read shorter than their agencies (西湖区, not 西湖区安全生产监督管理局).
        regions: [
          { code: agency.code, name: '本级直接监管' },
          ...children.map((c) => ({ code: c.code, name: c.region_name ?? c.name })),
        ],
        hasChildren: children.length > 0,
      };
    },

    /** Everything pending at the agency that matches, one page of it, with counts per arrival. */
    async pendingList(agencyId: number, query: PendingQuery): Promise<PendingList> {
      const agency = await org.agencyById(agencyId);
      if (!agency) throw new NotFound();
      const [region, timetable] = await Promise.all([
        regionFilter(agency, query.region, query.direct === true),
        timetableLimits(),
      ]);
      const at = now();
      const cutoffs = timetable ? overdueCutoffs(timetable.limits, chinaDay(at)) : null;
      const before = cutoffs ? overdueBefore(cutoffs, agency.level) : undefined;
      const overdue = Boolean(query.overdue && before);
      const base: PendingFilters = {
        category: query.category,
        text: query.text,
        census: query.census,
        ...region,
      };
      const filters: PendingFilters = overdue ? { ...base, arrivedBefore: before } : base;
      const [counts, overdueCounts] = await Promise.all([
        queries.pendingCounts(agencyId, filters),
        before && !overdue ? queries.pendingCounts(agencyId, { ...base, arrivedBefore: before }) : null,
      ]);
      const sum = (c: Record<Arrival, number>) =>
        c.enterprise_submitted + c.lower_submitted + c.upper_returned;
      const total = query.arrival
        ? counts[query.arrival]
        : counts.enterprise_submitted + counts.lower_submitted + counts.upper_returned;
      const { page, offset } = lastPageClamp(query.page, total, PENDING_PAGE_SIZE);
      const [rows, prefix] = await Promise.all([
        total
          ? queries.pendingPage(
              agencyId,
              { ...filters, arrival: query.arrival },
              query.sort,
              PENDING_PAGE_SIZE,
              offset,
            )
          : Promise.resolve([]),
        ownRegionName(agency),
      ]);
      return {
        rows: rows.map((r) => ({
          id: r.id,
          name: r.name,
          category: r.category,
          categoryLabel: categoryByCode(r.category)?.shortLabel ?? categoryLabel(r.category),
          arrival: r.arrival,
          arrivedAt: r.state_changed_at,
          due: timetable ? itemDue(r.state_changed_at, agency.level, timetable.limits, at) : null,
          change: changeOf(r.stored_version, r.latest_version),
          enterpriseName: r.enterprise_name,
          creditCode: r.credit_code,
          regionName: shortRegion(r.region_name, prefix),
          supervisingAgencyName: r.supervising_agency_name,
        })),
        total,
        counts,
        limit: timetable
          ? {
              roundName: timetable.roundName,
              days: timetable.limits[agency.level],
              label: LIMIT_LABELS[agency.level],
            }
          : null,
        overdueCount: overdueCounts ? sum(overdueCounts) : overdue ? sum(counts) : 0,
        overdue,
        page,
        pageSize: PENDING_PAGE_SIZE,
        region: region ? query.region : undefined,
        direct: region ? query.direct : undefined,
      };
    },

    /** The detail page's data; 404 outside the agency's jurisdiction. */
    async detail(user: ActingUser, systemId: number): Promise<ReviewDetail> {
      const agencyId = regulatorAgencyId(user);
      const system = await visibleSystem(user, systemId);
      const [summary, current, previous, rows, chain, timetable] = await Promise.all([
        queries.enterpriseSummary(system.enterprise_id),
        systems.version(system.id, system.latest_version),
        system.latest_version > 1
          ? systems.version(system.id, system.latest_version - 1)
          : Promise.resolve(undefined),
        historyOf(knex, system.id),
        org.chainOf(system.supervising_agency_id),
        timetableLimits(),
      ]);
      if (!summary || !current) throw new NotFound();
      // Today's facts name no agency here: the page then names the system's supervising agency.
      const enterprise = versionEnterpriseFacts(current.enterprise, summary, {
        regionName: summary.region_name,
        agencyName: null,
      });
      const regionNames = await queries.regionFullNames(regionCodes(system.category, [current, previous]));
      const names = new Map(chain.map((a) => [a.id, a.name]));
      const chainIds = chain.map((a) => a.id);
      const position = positionOf(system);
      const actor = { kind: 'agency', agencyId } as const;
      const actions = allowedActions(position, chainIds, actor);
      // Where each allowed action would send it: the same decision the workflow will take.
      const target = (command: Parameters<typeof decide>[3]): Destination | null => {
        const d = decide(position, chainIds, actor, command);
        return d.ok ? destinationOf(d.next, (id) => names.get(id)) : null;
      };
      const pendingHere = isPendingAt(position, agencyId);
      const last = rows[rows.length - 1];
      return {
        system: {
          id: system.id,
          name: system.name,
          category: system.category,
          categoryLabel: categoryLabel(system.category),
          state: system.state,
          arrival: system.arrival,
          storedVersion: system.stored_version,
          seq: system.workflow_seq,
          arrivedAt: system.state_changed_at,
          due:
            timetable && system.state === 'pending' && system.current_agency_id !== null
              ? dueAt(chain, system.current_agency_id, system.state_changed_at, timetable.limits)
              : null,
          supervisingAgencyName: names.get(system.supervising_agency_id) ?? '—',
          // A pending system is always somewhere on its own chain.
          currentAgencyName:
            system.current_agency_id === null ? null : (names.get(system.current_agency_id) ?? null),
        },
        enterprise,
        current: systemVersion(current),
        previous: previous ? systemVersion(previous) : null,
        regionNames: Object.fromEntries(regionNames),
        history: rows,
        upperReturn:
          pendingHere && system.arrival === 'upper_returned' && last?.action === 'return' ? last : null,
        pendingHere,
        actions,
        approveTo: actions.includes('approve') ? target({ type: 'approve' }) : null,
        returnTo: actions.includes('return') ? target({ type: 'return', reason: '—' }) : null,
      };
    },

    /** The history of one system (the list's panel and fragment); 404 outside jurisdiction. */
    async history(user: ActingUser, systemId: number): Promise<SystemHistory> {
      const system = await visibleSystem(user, systemId);
      return {
        id: system.id,
        name: system.name,
        category: system.category,
        rows: await historyOf(knex, system.id),
      };
    },

    /** 审核通过 from the detail form, checked in one pass under the workflow's lock. */
    approve(
      user: ActingUser,
      systemId: number,
      form: FormParse<{ comment: string | undefined }>,
      seq: number | undefined,
      address: string | null = null,
    ): Promise<Moved> {
      regulatorAgencyId(user);
      return workflow.review(
        user,
        systemId,
        () =>
          form.ok ? { ok: true, command: { type: 'approve', comment: form.data.comment } } : refused(form),
        { expectedSeq: seq, address },
      );
    },

    /** 退回 from the detail form: the form is read against the category's fields under the lock. */
    return(
      user: ActingUser,
      systemId: number,
      readForm: (fieldCodes: readonly string[]) => FormParse<{ reason: string; fields: string[] }>,
      seq: number | undefined,
      address: string | null = null,
    ): Promise<Moved> {
      regulatorAgencyId(user);
      return workflow.review(
        user,
        systemId,
        (system) => {
          const def = categoryByCode(system.category);
          const form = readForm(def ? allFields(def).map((f) => f.code) : []);
          return form.ok
            ? { ok: true, command: { type: 'return', reason: form.data.reason }, fields: form.data.fields }
            : refused(form);
        },
        { expectedSeq: seq, address },
      );
    },

    /** The ticked items as the bulk confirmation lists them (only names the agency may see). */
    async bulkItems(user: ActingUser, body: unknown): Promise<{ id: number; name: string }[]> {
      const agencyId = regulatorAgencyId(user);
      const parsed = parseBulkIds(body);
      if (!parsed.ok) throw new ValidationFailed({ ids: parsed.message }, {}, parsed.message);
      const visible = await queries.visibleNames(agencyId, parsed.ids);
      return parsed.ids.map((id) => ({ id, name: visible.get(id) ?? `编号 ${id}` }));
    },

    /**
     * 批量审核通过: each ticked item on its own (one transaction and history row each, through
     * the workflow), so one refusal never undoes or blocks the others. Names only what the
     * agency may see; anything else is reported by its number as not found.
     */
    async bulkApprove(user: ActingUser, body: unknown, address: string | null = null): Promise<BulkResult[]> {
      const agencyId = regulatorAgencyId(user);
      const parsed = parseBulkIds(body);
      if (!parsed.ok) throw new ValidationFailed({ ids: parsed.message }, {}, parsed.message);
      const visible = await queries.visibleNames(agencyId, parsed.ids);
      const results: BulkResult[] = [];
      for (const [index, id] of parsed.ids.entries()) {
        const name = visible.get(id) ?? `编号 ${id}`;
        try {
          const moved = await workflow.approve(user, id, undefined, {
            address,
            bulk: { index: index + 1, count: parsed.ids.length },
          });
          results.push({ id, name, ok: true, message: bulkOutcome(moved.to) });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results.push({
            id,
            name,
            ok: false,
            message: err instanceof NotFound ? '不存在或无权访问' : err.userMessage,
          });
        }
      }
      return results;
    },
  };
}

export type ReviewService = ReturnType<typeof reviewService>;
