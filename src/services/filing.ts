import type { Knex } from 'knex';
import { Conflict, NotFound, ValidationFailed } from '../domain/errors';
import { categoryByCode, validateSystem, type Category, type SystemData } from '../domain/systems';
import {
  checkDelete,
  checkEdit,
  positionOf,
  type Arrival,
  type Position,
  type WorkflowState,
} from '../domain/workflow';
import { enterprisesRepo, type EnterpriseRow, type EnterpriseSystemRow } from '../data/enterprises';
import { historyOf, type HistoryEntry } from './history';
import { messagesRepo, type MessageRow } from '../data/messages';
import { orgRepo, type AgencyRow } from '../data/org';
import { systemsRepo, type SystemRow } from '../data/systems';
import { systemVersion, type SystemVersion } from './systemVersions';
import type { ServiceDeps } from './deps';
import { campaignRepo } from '../data/campaign';
import { chinaDay, daysBetween } from '../domain/campaign';
import { orgPickers, type RegionPicker } from './orgPickers';
import type { EnterpriseUser as EnterpriseSession } from './session';
import { ALREADY_HANDLED, type ActingUser } from './workflow';

export const NAME_TAKEN = '本企业已有同名的独立生产系统，请换一个名称';
export const NAME_NEEDED_FOR_DRAFT = '保存草稿前请至少填写独立生产系统名称';
const SYSTEM_NAME_CONSTRAINT = 'production_systems_enterprise_id_name_unique';

type EnterpriseUser = Pick<EnterpriseSession, 'enterpriseId'>;

/** A system of the enterprise's home list. */
export interface EnterpriseSystem {
  id: number;
  category: Category;
  name: string;
  state: WorkflowState;
  arrival: Arrival | null;
  currentAgencyName: string | null;
  latestVersion: number;
  storedVersion: number | null;
  updatedAt: Date;
  stateChangedAt: Date;
}

const enterpriseSystem = (r: EnterpriseSystemRow): EnterpriseSystem => ({
  id: r.id,
  category: r.category,
  name: r.name,
  state: r.state,
  arrival: r.arrival,
  currentAgencyName: r.current_agency_name,
  latestVersion: r.latest_version,
  storedVersion: r.stored_version,
  updatedAt: r.updated_at,
  stateChangedAt: r.state_changed_at,
});

/** A 站内通知 to the enterprise. */
export interface EnterpriseMessage {
  id: number;
  /** Null for a reminder about the enterprise's filing as a whole. */
  systemId: number | null;
  kind: MessageRow['kind'];
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

const enterpriseMessage = (m: MessageRow): EnterpriseMessage => ({
  id: m.id,
  systemId: m.system_id,
  kind: m.kind,
  body: m.body,
  createdAt: m.created_at,
  readAt: m.read_at,
});

/** The enterprise as its own pages name it. */
export interface EnterpriseHeading {
  name: string;
  creditCode: string;
  ownerless: boolean;
}

const enterpriseHeading = (e: EnterpriseRow): EnterpriseHeading => ({
  name: e.name,
  creditCode: e.credit_code,
  ownerless: e.ownerless,
});

/** One of the enterprise's systems as its page shows it. */
export interface FiledSystem {
  id: number;
  category: Category;
  name: string;
  draftData: SystemData;
  state: WorkflowState;
  arrival: Arrival | null;
  /** Where it stands in the review chain, as the workflow rules take it. */
  position: Position;
  latestVersion: number;
  storedVersion: number | null;
  /** The workflow's compare-and-set counter, carried by the page's forms. */
  seq: number;
}

const filedSystem = (s: SystemRow): FiledSystem => ({
  id: s.id,
  category: s.category,
  name: s.name,
  draftData: s.draft_data,
  state: s.state,
  arrival: s.arrival,
  position: positionOf(s),
  latestVersion: s.latest_version,
  storedVersion: s.stored_version,
  seq: s.workflow_seq,
});

export interface FilingHome {
  enterprise: EnterpriseHeading;
  supervisingAgency: AgencyRow | undefined;
  systems: EnterpriseSystem[];
  total: number;
  /** Newest first; `readAt` as it was before this visit marked them read. */
  messages: EnterpriseMessage[];
  /** The current round's filing deadline and what the enterprise still owes (none before 总局 sets one). */
  filing: {
    roundName: string;
    deadline: string;
    daysLeft: number;
    outstanding: { id: number; name: string; state: 'draft' | 'returned' | 'unconfirmed' }[];
  } | null;
}

export interface NewSystemPage {
  enterprise: EnterpriseHeading;
  supervisingAgency: AgencyRow | undefined;
  picker: RegionPicker;
}

export interface SystemPage extends NewSystemPage {
  system: FiledSystem;
  currentAgencyName: string | null;
  /** The latest frozen version (null before the first submission). */
  latest: SystemVersion | null;
  /** The full name of the latest version's region (浙江省杭州市西湖区), or null. */
  latestRegionName: string | null;
  history: HistoryEntry[];
}

export interface ActionOptions {
  expectedSeq?: number;
}

export interface DraftOptions extends ActionOptions {
  /**
   * 'submit' when the save is the first step of 提交审核: every rule (required, cross-field) is
   * checked before anything is written, so a refused submission saves nothing and reports all its
   * errors at once.
   */
  mode?: 'draft' | 'submit';
}

function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string };
  return e && e.code === '23505' ? (e.constraint ?? '') : null;
}

/**
 * An enterprise's production systems (SPEC §5): drafts, their pages and the enterprise home.
 * Submission, returns and changes are the workflow service's transitions; this service only
 * saves drafts, each save one transaction, and refuses edits the workflow does not allow.
 */
export function filingService(knex: Knex, deps: ServiceDeps) {
  const pickers = orgPickers(knex);

  async function loadEnterprise(db: Knex | Knex.Transaction, user: EnterpriseUser): Promise<EnterpriseRow> {
    const row = await enterprisesRepo(db).byId(user.enterpriseId);
    if (!row) throw new NotFound();
    return row;
  }

  /** The enterprise's own system; any other id does not exist for it (404). */
  async function ownSystem(db: Knex | Knex.Transaction, user: EnterpriseUser, id: number, lock = false) {
    const repo = systemsRepo(db);
    const system =
      Number.isSafeInteger(id) && id > 0 ? await (lock ? repo.lock(id) : repo.byId(id)) : undefined;
    if (!system || system.enterprise_id !== user.enterpriseId) throw new NotFound();
    return system;
  }

  /**
   * Draft validation: types, enumerations, lengths and ranges are refused (nothing saved), the
   * required fields may wait until submission. The name is needed even in a draft: it tells the
   * drafts apart and is unique within the enterprise. In 'submit' mode every rule runs too.
   */
  async function checkDraft(
    trx: Knex.Transaction,
    enterprise: EnterpriseRow,
    category: Category,
    body: Record<string, unknown>,
    { exceptId, mode = 'draft' }: { exceptId?: number; mode?: 'draft' | 'submit' } = {},
  ): Promise<{ name: string; data: SystemData }> {
    // Inside the transaction every query must use it (the embedded database has one connection).
    const { picker, error: regionError } = await orgPickers(trx).pickerFromForm(body);
    const result = validateSystem(category, { ...body, region_code: picker.code }, mode, {
      ownerless: enterprise.ownerless,
    });
    const errors = { ...result.errors };
    if (regionError) errors.region_code = regionError;
    const name = result.data.name;
    if (!errors.name) {
      if (typeof name !== 'string' || name === '') errors.name = NAME_NEEDED_FOR_DRAFT;
      else if (await systemsRepo(trx).nameTaken(enterprise.id, name, exceptId)) errors.name = NAME_TAKEN;
    }
    if (Object.keys(errors).length)
      throw new ValidationFailed(errors, {
        ...result.values,
        region_province: picker.selected.province,
        region_city: picker.selected.city,
      });
    return { name: String(name), data: result.data };
  }

  /** Runs a draft write; a lost race on the name becomes the same field error as the check. */
  async function writing<T>(
    body: Record<string, unknown>,
    work: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    try {
      return await knex.transaction(work);
    } catch (err) {
      if (uniqueViolation(err) !== SYSTEM_NAME_CONSTRAINT) throw err;
      throw new ValidationFailed({ name: NAME_TAKEN }, body);
    }
  }

  function checkSeq(system: SystemRow, options: ActionOptions): void {
    if (options.expectedSeq !== undefined && options.expectedSeq !== system.workflow_seq)
      throw new Conflict(ALREADY_HANDLED);
  }

  return {
    /** The enterprise home; reading it marks the messages read. */
    async home(user: EnterpriseUser, page: { limit: number; offset: number }): Promise<FilingHome> {
      const enterprise = await loadEnterprise(knex, user);
      const repo = enterprisesRepo(knex);
      const [systems, total, messages, supervisingAgency, round] = await Promise.all([
        repo.systems(enterprise.id, page),
        repo.countSystems(enterprise.id),
        messagesRepo(knex).recent(enterprise.id, 10),
        orgRepo(knex).agencyById(enterprise.supervising_agency_id),
        campaignRepo(knex).current(),
      ]);
      const outstanding = round ? await repo.outstandingSystems(enterprise.id, round) : [];
      if (messages.some((m) => m.read_at === null)) await messagesRepo(knex).markAllRead(enterprise.id);
      const filing = round
        ? {
            roundName: round.name,
            deadline: round.filingDeadline,
            daysLeft: daysBetween(chinaDay(deps.now()), round.filingDeadline),
            outstanding,
          }
        : null;
      return {
        enterprise: enterpriseHeading(enterprise),
        supervisingAgency,
        systems: systems.map(enterpriseSystem),
        total,
        messages: messages.map(enterpriseMessage),
        filing,
      };
    },

    /**
     * What the form of a new system needs. The region picker is the posted one, or starts at the
     * enterprise's own county — where most of its systems are.
     */
    async newSystem(
      user: EnterpriseUser,
      category: Category,
      posted?: Record<string, unknown>,
    ): Promise<NewSystemPage> {
      if (!categoryByCode(category)) throw new NotFound('没有这种生产系统类别');
      const enterprise = await loadEnterprise(knex, user);
      const picker = posted
        ? (await pickers.pickerFromForm(posted)).picker
        : await pickers.pickerFor(enterprise.region_code);
      return {
        enterprise: enterpriseHeading(enterprise),
        supervisingAgency: await orgRepo(knex).agencyById(enterprise.supervising_agency_id),
        picker,
      };
    },

    /** A system's page: its draft, its latest frozen version, where it is and its history. */
    async systemPage(
      user: EnterpriseUser,
      id: number,
      posted?: Record<string, unknown>,
    ): Promise<SystemPage> {
      const system = await ownSystem(knex, user, id);
      const enterprise = await loadEnterprise(knex, user);
      const org = orgRepo(knex);
      const [current, supervisingAgency, latest, history, picker] = await Promise.all([
        system.current_agency_id !== null ? org.agencyById(system.current_agency_id) : undefined,
        org.agencyById(enterprise.supervising_agency_id),
        system.latest_version > 0 ? systemsRepo(knex).version(system.id, system.latest_version) : undefined,
        historyOf(knex, system.id),
        posted
          ? pickers.pickerFromForm(posted).then((r) => r.picker)
          : pickers.pickerFor(
              typeof system.draft_data.region_code === 'string' ? system.draft_data.region_code : null,
            ),
      ]);
      const region =
        typeof latest?.data.region_code === 'string'
          ? await org.regionByCode(latest.data.region_code)
          : undefined;
      return {
        system: filedSystem(system),
        enterprise: enterpriseHeading(enterprise),
        supervisingAgency,
        picker,
        latestRegionName: region?.full_name ?? null,
        currentAgencyName: current?.name ?? null,
        latest: latest ? systemVersion(latest) : null,
        history,
      };
    },

    /** Region picker lists for a posted form (the no-JavaScript 刷新 step). */
    pickerForForm: async (body: Record<string, unknown>) => (await pickers.pickerFromForm(body)).picker,

    /** Saves a new draft. */
    async createDraft(
      user: EnterpriseUser,
      category: Category,
      body: Record<string, unknown>,
      options: DraftOptions = {},
    ): Promise<number> {
      if (!categoryByCode(category)) throw new NotFound('没有这种生产系统类别');
      return writing(body, async (trx) => {
        const enterprise = await loadEnterprise(trx, user);
        const { name, data } = await checkDraft(trx, enterprise, category, body, { mode: options.mode });
        return systemsRepo(trx).insert({
          enterprise_id: enterprise.id,
          category,
          name,
          draft_data: data,
          supervising_agency_id: enterprise.supervising_agency_id,
        });
      });
    },

    /** Saves the draft of a draft or returned system; anything else is refused (409). */
    async saveDraft(
      user: EnterpriseUser,
      id: number,
      body: Record<string, unknown>,
      options: DraftOptions = {},
    ): Promise<void> {
      await writing(body, async (trx) => {
        const system = await ownSystem(trx, user, id, true);
        checkSeq(system, options);
        const editable = checkEdit(positionOf(system));
        if (!editable.ok) throw new Conflict(editable.message);
        const enterprise = await loadEnterprise(trx, user);
        const { name, data } = await checkDraft(trx, enterprise, system.category, body, {
          exceptId: system.id,
          mode: options.mode,
        });
        await systemsRepo(trx).updateDraft(system.id, name, data);
      });
    },

    /** Submission is the workflow's transition: full validation, a frozen version, one history row. */
    submit: (user: ActingUser, id: number, options: ActionOptions = {}): Promise<Position> =>
      deps.workflow.submit(user, id, options),

    /** 删除草稿: a draft never submitted is deleted (a submitted one keeps its history: 409). */
    async deleteDraft(user: EnterpriseUser, id: number, options: ActionOptions = {}): Promise<string> {
      return knex.transaction(async (trx) => {
        const system = await ownSystem(trx, user, id, true);
        checkSeq(system, options);
        const allowed = checkDelete(positionOf(system), {
          latest: system.latest_version,
          stored: system.stored_version,
        });
        if (!allowed.ok) throw new Conflict(allowed.message);
        if (!(await systemsRepo(trx).deleteNewDraft(system.id))) throw new Conflict(ALREADY_HANDLED);
        return system.name;
      });
    },

    /** 放弃变更: the unsubmitted change is dropped, back at the stored version. */
    discardChange: (user: ActingUser, id: number, options: ActionOptions = {}): Promise<void> =>
      deps.workflow.discardChange(user, id, options),

    /** 变更 of a stored system: the draft (already holding the stored data) opens again. */
    change: (user: ActingUser, id: number, options: ActionOptions = {}): Promise<Position> =>
      deps.workflow.reopen(user, id, options),
  };
}

export type FilingService = ReturnType<typeof filingService>;
