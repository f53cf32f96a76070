import type { Knex } from 'knex';
import {
  confirmUnchanged,
  decide,
  discardChange,
  isPendingAt,
  positionOf,
  reopenForChange,
  type Actor,
  type Chain,
  type Command,
  type Decision,
  type Position,
} from '../domain/workflow';
import { validateSystem, isCategory } from '../domain/systems';
import { destinationOf, type Destination } from '../domain/reviewOutcome';
import { Conflict, NotFound, ValidationFailed } from '../domain/errors';
import { systemsRepo, type SystemRow, type TransitionUpdate } from '../data/systems';
import { historyRepo, type HistoryRow } from '../data/history';
import { recordAudit } from '../data/audit';
import { orgRepo } from '../data/org';
import { enterprisesRepo } from '../data/enterprises';
import { messagesRepo } from '../data/messages';
import { storedRepo } from '../data/stored';
import { trackingRepo } from '../data/tracking';
import { trackingStatuses } from '../domain/tracking';
import type { ActingUser } from './session';
import { openSystem } from './agencyAccess';
import { campaignRepo } from '../data/campaign';
import { roundsRepo } from '../data/rounds';
import { freezeEnterprise } from '../domain/enterprise';
import { openReturnRound, returnMessage, type QuotedReason } from '../domain/filingRounds';
import { historyOf } from './history';

export type { ActingUser } from './session';

/**
 * An enterprise's move that leaves the system stored and touches no agency (确认无变化, 放弃变更):
 * the compare-and-set and its history row. Returns when it was made.
 */
async function storedByEnterprise(
  trx: Knex.Transaction,
  user: Extract<ActingUser, { role: 'enterprise' }>,
  system: SystemRow,
  row: { action: 'confirm' | 'discard'; version: number; note: string | null },
): Promise<Date> {
  const at = new Date();
  const moved = await systemsRepo(trx).transition(
    system.id,
    system.workflow_seq,
    { state: 'stored', current_agency_id: null, arrival: null },
    at,
  );
  if (!moved) throw new Conflict(ALREADY_HANDLED);
  await historyRepo(trx).append({
    system_id: system.id,
    at,
    action: row.action,
    actor_user_id: user.id,
    actor_name: user.name || user.username,
    actor_agency_id: null,
    actor_enterprise_id: user.enterpriseId,
    from_state: system.state,
    from_agency_id: null,
    from_arrival: null,
    to_state: 'stored',
    to_agency_id: null,
    to_arrival: null,
    version: row.version,
    note: row.note,
    fields: [],
  });
  return at;
}

/** Every level's reason of the open return round (the one just recorded last), highest level first. */
async function roundReasons(trx: Knex.Transaction, systemId: number): Promise<QuotedReason[]> {
  const run = openReturnRound(await historyOf(trx, systemId)).reverse();
  return run.map((r) => ({ agency: r.actorAgencyName ?? '', reason: r.note ?? '' }));
}

export interface ActionOptions {
  /** `workflow_seq` of the page the user acted on: a stale page is refused, not applied. */
  expectedSeq?: number;
  /** Where the user acts from (the audit row of an approval or return). */
  address?: string | null;
  /** One item of a 批量审核通过 of `count` items (audited as review.bulk_approve). */
  bulk?: { index: number; count: number };
}

export const ALREADY_HANDLED = '该信息已被处理，请刷新页面查看最新状态';

/** A review move as read from its form: the command, or the form's errors with what was typed. */
export type ReviewCommand =
  | { ok: true; command: Command; fields?: string[] }
  | { ok: false; errors: Record<string, string>; values: Record<string, unknown> };

/** What an approval or a return did: the position reached and where that is, in one value. */
export interface Moved {
  systemId: number;
  systemName: string;
  next: Position;
  to: Destination;
}

function actorOf(user: ActingUser): Actor {
  return user.role === 'regulator' ? { kind: 'agency', agencyId: user.agencyId } : { kind: 'enterprise' };
}

/**
 * The review chain's transitions. Each one is a single transaction: lock the system row, let
 * the pure workflow decide, compare-and-set the row, freeze a version (submit), append the
 * hash-chained history row and, where the enterprise must hear of it, a message.
 */
export function workflowService(knex: Knex) {
  async function chainFor(trx: Knex.Transaction, supervisingAgencyId: number): Promise<number[]> {
    return (await orgRepo(trx).chainOf(supervisingAgencyId)).map((a) => a.id);
  }

  function refuse(decision: Extract<Decision, { ok: false }>): never {
    if (decision.refusal === 'not_pending_here') throw new Conflict(ALREADY_HANDLED);
    if (decision.refusal === 'reason_required') throw new ValidationFailed({ reason: decision.message });
    throw new Conflict(decision.message);
  }

  async function apply(
    trx: Knex.Transaction,
    user: ActingUser,
    system: SystemRow,
    decision: Extract<Decision, { ok: true }>,
    extra: { chain: Chain; update?: Partial<TransitionUpdate>; version: number; fields?: readonly string[] },
  ): Promise<HistoryRow> {
    const at = new Date();
    const next = decision.next;
    const update: TransitionUpdate = {
      state: next.state,
      current_agency_id: next.agencyId,
      arrival: next.arrival,
      ...(next.state === 'stored' ? { stored_version: extra.version, stored_at: at } : {}),
      ...extra.update,
    };
    if (!(await systemsRepo(trx).transition(system.id, system.workflow_seq, update, at)))
      throw new Conflict(ALREADY_HANDLED);
    // 已入库信息查询 reads the stored version's fields from stored_systems: keep it in step.
    if (next.state === 'stored') await storedRepo(trx).refresh([system.id]);
    // 信息追踪: the acting agency tracks the system from now on; every tracker sees it move.
    await trackingRepo(trx).follow({
      systemId: system.id,
      category: system.category,
      at,
      actor:
        user.role === 'regulator'
          ? { agencyId: user.agencyId, action: decision.historyAction, toState: next.state }
          : null,
      statuses: trackingStatuses(
        next,
        extra.chain,
        (update.stored_version ?? system.stored_version) !== null,
      ),
    });
    const historyRow = await historyRepo(trx).append({
      system_id: system.id,
      at,
      action: decision.historyAction,
      actor_user_id: user.id,
      actor_name: user.name || user.username,
      actor_agency_id: user.role === 'regulator' ? user.agencyId : null,
      actor_enterprise_id: user.role === 'enterprise' ? user.enterpriseId : null,
      from_state: system.state,
      from_agency_id: system.current_agency_id,
      from_arrival: system.arrival,
      to_state: next.state,
      to_agency_id: next.agencyId,
      to_arrival: next.arrival,
      version: extra.version,
      note: decision.note,
      fields: extra.fields ?? [],
    });
    // 年度复查: a change of a stored system, stored during an update round, counts as changed in it.
    if (next.state === 'stored' && system.stored_version !== null) {
      const round = await campaignRepo(trx).current();
      if (round?.kind === 'update')
        await roundsRepo(trx).record({
          round_id: round.id,
          system_id: system.id,
          how: 'changed',
          version: extra.version,
          at,
        });
    }
    if (next.state === 'returned' || next.state === 'stored') {
      await messagesRepo(trx).add({
        enterprise_id: system.enterprise_id,
        system_id: system.id,
        kind: next.state,
        body:
          next.state === 'returned'
            ? returnMessage(system.name, await roundReasons(trx, system.id))
            : `“${system.name}”已通过国家安全监管总局审核，正式入库。`,
      });
    }
    return historyRow;
  }

  function checkSeq(system: SystemRow, options: ActionOptions): void {
    if (options.expectedSeq !== undefined && options.expectedSeq !== system.workflow_seq)
      throw new Conflict(ALREADY_HANDLED);
  }

  /**
   * An approval or a return, in one pass under the row lock: visibility, the page's seq, the
   * form (read once the category is known; its errors count only when the move is still ours to
   * make: "already handled" matters more) and the decision.
   */
  async function act(
    user: ActingUser,
    systemId: number,
    read: (system: SystemRow) => ReviewCommand,
    options: ActionOptions,
  ): Promise<Moved> {
    return knex.transaction(async (trx) => {
      const system = await openSystem(trx, user, systemId, { lock: true });
      checkSeq(system, options);
      const chainRows = await orgRepo(trx).chainOf(system.supervising_agency_id);
      const chain = chainRows.map((a) => a.id);
      const actor = actorOf(user);
      const form = read(system);
      if (!form.ok) {
        const ours = actor.kind === 'agency' && isPendingAt(positionOf(system), actor.agencyId);
        throw ours ? new ValidationFailed(form.errors, form.values) : new Conflict(ALREADY_HANDLED);
      }
      const decision = decide(positionOf(system), chain, actor, form.command);
      if (!decision.ok) refuse(decision);
      const historyRow = await apply(trx, user, system, decision, {
        chain,
        version: system.latest_version,
        fields: form.fields,
      });
      // 安全审计: the move and its pointer to the history row, committed together.
      await recordAudit(trx, {
        type: options.bulk
          ? 'review.bulk_approve'
          : form.command.type === 'return'
            ? 'review.return'
            : 'review.approve',
        actorId: user.id,
        address: options.address ?? null,
        object: `${system.name}（编号 ${system.id}）`,
        result: 'success',
        reason: decision.note,
        detail: {
          system_id: system.id,
          history_id: historyRow.id,
          history_seq: historyRow.seq,
          to_state: decision.next.state,
          ...(options.bulk ? { bulk: options.bulk } : {}),
        },
      });
      const names = new Map(chainRows.map((a) => [a.id, a.name]));
      return {
        systemId: system.id,
        systemName: system.name,
        next: decision.next,
        to: destinationOf(decision.next, (id) => names.get(id)),
      };
    });
  }

  return {
    /**
     * Enterprise submits: validates the draft in full, freezes it as the next version and hands
     * it to the supervising agency (chosen now, from the enterprise's current details).
     */
    async submit(user: ActingUser, systemId: number, options: ActionOptions = {}): Promise<Position> {
      return knex.transaction(async (trx) => {
        const system = await openSystem(trx, user, systemId, { lock: true });
        checkSeq(system, options);
        const enterprise = await enterprisesRepo(trx).byId(system.enterprise_id);
        if (!enterprise || !isCategory(system.category)) throw new NotFound();
        const chainRows = await orgRepo(trx).chainOf(enterprise.supervising_agency_id);
        const chain = chainRows.map((a) => a.id);
        const decision = decide(positionOf(system), chain, { kind: 'enterprise' }, { type: 'submit' });
        if (!decision.ok) refuse(decision);
        const checked = validateSystem(
          system.category,
          system.draft_data as Record<string, unknown>,
          'submit',
          {
            ownerless: enterprise.ownerless,
          },
        );
        if (!checked.ok) throw new ValidationFailed(checked.errors, checked.values);
        const version = system.latest_version + 1;
        await systemsRepo(trx).insertVersion({
          system_id: system.id,
          version,
          category: system.category,
          name: system.name,
          data: checked.data,
          submitted_by: user.id,
          submitted_at: new Date(),
          enterprise: freezeEnterprise(enterprise, {
            regionName: (await orgRepo(trx).regionByCode(enterprise.region_code))?.full_name ?? null,
            agencyName: chainRows[0]?.name ?? null,
          }),
        });
        await apply(trx, user, system, decision, {
          chain,
          version,
          update: { latest_version: version, supervising_agency_id: enterprise.supervising_agency_id },
        });
        return decision.next;
      });
    },

    approve: (user: ActingUser, systemId: number, comment: string | undefined, options: ActionOptions = {}) =>
      act(user, systemId, () => ({ ok: true, command: { type: 'approve', comment } }), options),

    return: (
      user: ActingUser,
      systemId: number,
      reason: string,
      fields: string[] = [],
      options: ActionOptions = {},
    ) => act(user, systemId, () => ({ ok: true, command: { type: 'return', reason }, fields }), options),

    /** An approval or a return as posted on the review detail, its form read under the lock. */
    review: (
      user: ActingUser,
      systemId: number,
      read: (system: SystemRow) => ReviewCommand,
      options: ActionOptions = {},
    ) => act(user, systemId, read, options),

    /**
     * 确认无变化 in the open update round: the history row and the round's confirmation in one
     * transaction under the row lock; the system stays stored with its stored version.
     */
    async confirm(user: ActingUser, systemId: number, options: ActionOptions = {}): Promise<void> {
      await knex.transaction(async (trx) => {
        const system = await openSystem(trx, user, systemId, { lock: true });
        if (user.role !== 'enterprise') throw new NotFound();
        checkSeq(system, options);
        const decision = confirmUnchanged(positionOf(system));
        if (!decision.ok) refuse(decision);
        const round = await campaignRepo(trx).current();
        if (round?.kind !== 'update') throw new Conflict('当前没有进行中的年度复查');
        if (await roundsRepo(trx).of(round.id, system.id)) throw new Conflict('该信息在本轮年度复查中已确认');
        const at = await storedByEnterprise(trx, user, system, {
          action: 'confirm',
          version: system.stored_version ?? system.latest_version,
          note: round.name,
        });
        await roundsRepo(trx).record({
          round_id: round.id,
          system_id: system.id,
          how: 'confirmed',
          version: system.stored_version ?? system.latest_version,
          at,
        });
      });
    },

    /**
     * 放弃变更: an unsubmitted 变更 draft is dropped; the draft holds the stored version's data
     * again and the system is stored as before (stored version, stored_systems and 年度复查
     * untouched, no message). One history row under the row lock.
     */
    async discardChange(user: ActingUser, systemId: number, options: ActionOptions = {}): Promise<void> {
      await knex.transaction(async (trx) => {
        const system = await openSystem(trx, user, systemId, { lock: true });
        if (user.role !== 'enterprise') throw new NotFound();
        checkSeq(system, options);
        const decision = discardChange(positionOf(system), system.stored_version);
        if (!decision.ok) refuse(decision);
        const stored = await systemsRepo(trx).version(system.id, system.stored_version!);
        if (!stored) throw new NotFound();
        await systemsRepo(trx).updateDraft(system.id, stored.name, stored.data);
        await storedByEnterprise(trx, user, system, {
          action: 'discard',
          version: stored.version,
          note: null,
        });
      });
    },

    /** 变更: a stored system becomes a draft again; its stored version stays the current one. */
    async reopen(user: ActingUser, systemId: number, options: ActionOptions = {}): Promise<Position> {
      return knex.transaction(async (trx) => {
        const system = await openSystem(trx, user, systemId, { lock: true });
        checkSeq(system, options);
        const decision = reopenForChange(positionOf(system));
        if (!decision.ok) refuse(decision);
        const chain = await chainFor(trx, system.supervising_agency_id);
        await apply(trx, user, system, decision, { chain, version: system.latest_version });
        return decision.next;
      });
    },
  };
}

export type WorkflowService = ReturnType<typeof workflowService>;
