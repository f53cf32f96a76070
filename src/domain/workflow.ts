/**
 * The review workflow (SPEC §6): where a production system's filing is, and what may happen to
 * it next.
 *
 * Pure rules only. The data layer stores a `Position` as three columns (state, agency_id,
 * arrival) and repeats STATES / ARRIVALS / ACTIONS as CHECK constraints; services call `decide`
 * inside the transaction that compare-and-sets the row, so a refusal here never reaches the
 * database and a lost race there becomes a Conflict.
 *
 * A filing's review chain is the path in the agency tree from its supervising agency (index 0)
 * up to the national root (last index). Its length is not fixed: 1 when the root supervises
 * directly, 2 for a province-supervised enterprise, 3 in a municipality, 4 for the common
 * county → city → province → national case and for offshore (监督处 → 分部 → 海油安办 → 总局).
 */

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

export const STATES = ['draft', 'returned', 'pending', 'stored'] as const;
export type WorkflowState = (typeof STATES)[number];

/** How a pending filing reached the agency now holding it (the pending list's 状态 column). */
export const ARRIVALS = ['enterprise_submitted', 'lower_submitted', 'upper_returned'] as const;
export type Arrival = (typeof ARRIVALS)[number];

/**
 * What a history row records. There is no separate 'store' action: a national approval is an
 * 'approve' whose to-state is 'stored', and `actionLabel` shows it as 审核通过（入库）.
 * 'reopen' is the enterprise opening a change (变更) of a stored system; 'confirm' its 年度复查
 * confirmation that a stored system is unchanged (stored → stored).
 */
export const ACTIONS = ['submit', 'approve', 'return', 'reopen', 'confirm', 'discard'] as const;
export type HistoryAction = (typeof ACTIONS)[number];

export const STATE_LABELS: Readonly<Record<WorkflowState, string>> = Object.freeze({
  draft: '草稿',
  returned: '已退回',
  pending: '审核中',
  stored: '已入库',
});

export const ARRIVAL_LABELS: Readonly<Record<Arrival, string>> = Object.freeze({
  enterprise_submitted: '企业提交',
  lower_submitted: '下级报送',
  upper_returned: '上级退回',
});

export const ACTION_LABELS: Readonly<Record<HistoryAction, string>> = Object.freeze({
  submit: '企业提交',
  approve: '审核通过',
  return: '退回',
  reopen: '发起变更',
  /** 年度复查: the enterprise confirms a stored system unchanged (the position stays stored). */
  confirm: '确认无变化',
  /** 放弃变更: an unsubmitted 变更 draft dropped, back at the stored version (draft → stored). */
  discard: '放弃变更',
});

export function stateLabel(state: WorkflowState): string {
  return STATE_LABELS[state];
}

export function arrivalLabel(arrival: Arrival): string {
  return ARRIVAL_LABELS[arrival];
}

/** Pass the row's to-state so that the national approval reads 审核通过（入库）. */
export function actionLabel(action: HistoryAction, toState?: WorkflowState): string {
  if (action === 'approve' && toState === 'stored') return '审核通过（入库）';
  return ACTION_LABELS[action];
}

// ---------------------------------------------------------------------------------------------
// Positions, chains, actors, commands
// ---------------------------------------------------------------------------------------------

/** Where a filing is. `agencyId` and `arrival` are set if and only if the state is 'pending'. */
export interface Position {
  readonly state: WorkflowState;
  readonly agencyId: number | null;
  readonly arrival: Arrival | null;
}

/** The columns of a system row a position is read from. */
export interface PositionColumns {
  readonly state: WorkflowState;
  readonly current_agency_id: number | null;
  readonly arrival: Arrival | null;
}

/** Where a system stands in the review chain, as the workflow rules take it. */
export function positionOf(s: PositionColumns): Position {
  return { state: s.state, agencyId: s.current_agency_id, arrival: s.arrival };
}

/** Agency ids from the supervising agency (index 0) up to the root (last). */
export type Chain = readonly number[];

export type Actor = { readonly kind: 'enterprise' } | { readonly kind: 'agency'; readonly agencyId: number };

export type Command =
  | { readonly type: 'submit' }
  | { readonly type: 'approve'; readonly comment?: string }
  | { readonly type: 'return'; readonly reason: string }
  | { readonly type: 'reopen' };

export type CommandType = Command['type'];

export const DRAFT: Position = Object.freeze({ state: 'draft', agencyId: null, arrival: null });
export const RETURNED: Position = Object.freeze({ state: 'returned', agencyId: null, arrival: null });
export const STORED: Position = Object.freeze({ state: 'stored', agencyId: null, arrival: null });

export function pendingAt(agencyId: number, arrival: Arrival): Position {
  return Object.freeze({ state: 'pending', agencyId, arrival });
}

export function isPendingAt(position: Position, agencyId: number): boolean {
  return position.state === 'pending' && position.agencyId === agencyId;
}

/** The invariant the database also enforces: agency and arrival set if and only if pending. */
export function isValidPosition(position: Position): boolean {
  if (!STATES.includes(position.state)) return false;
  if (position.state === 'pending') {
    return (
      Number.isInteger(position.agencyId) && position.arrival !== null && ARRIVALS.includes(position.arrival)
    );
  }
  return position.agencyId === null && position.arrival === null;
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

export const REFUSAL_MESSAGES = Object.freeze({
  /** An agency tried to submit or reopen: filing is the enterprise's (an ownerless pond's
   * regulator files by logging in as an enterprise, SPEC §3). */
  enterprise_only: '只有企业用户可以提交或变更填报信息',
  /** An enterprise tried to approve or return. */
  agency_only: '只有安监部门用户可以审核或退回',
  /** The agency is not on this filing's review chain at all. */
  agency_not_on_chain: '该信息不属于本单位的审核范围',
  /** On the chain but the filing is not waiting here (not yet arrived, or already handled). */
  not_pending_here: '该信息不在本单位待审核列表中，可能已被处理',
  approve_upper_returned: '上级退回的信息只能继续退回，不能审核通过',
  reason_required: '请填写退回理由',
  /** The enterprise tried to submit, edit or reopen while the filing is under review. */
  under_review: '该信息正在审核中，不能修改或重复提交',
  /** The enterprise tried to submit or edit a stored system without opening a change first. */
  already_stored: '该信息已入库，如需修改请先发起变更',
  /** A change was asked for on a system that was never stored: it is editable as it is. */
  not_stored: '该信息尚未入库，可直接修改后提交',
  /** 放弃变更 asked of something that is no unsubmitted change of a stored system. */
  no_open_change: '只有尚未提交的变更可以放弃',
  /** 删除草稿 asked of a system that was submitted at least once (its history stays). */
  not_a_new_draft: '只有从未提交过的草稿可以删除',
});

export type RefusalCode = keyof typeof REFUSAL_MESSAGES;

export interface Refusal {
  readonly ok: false;
  readonly refusal: RefusalCode;
  /** Chinese, shown to the user as it is. */
  readonly message: string;
}

export interface Accepted {
  readonly ok: true;
  readonly next: Position;
  readonly historyAction: HistoryAction;
  /** The return reason or approval comment, trimmed; null when none was given. */
  readonly note: string | null;
}

export type Decision = Accepted | Refusal;

function refuse(code: RefusalCode): Refusal {
  return { ok: false, refusal: code, message: REFUSAL_MESSAGES[code] };
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** A position as the table sees it: the state, and for pending the arrival. */
type PositionKey = 'draft' | 'returned' | `pending:${Arrival}` | 'stored';

/**
 * Where an accepted command takes the filing:
 * - to_supervisor: pending at chain[0], arrival enterprise_submitted
 * - up:            at the root → stored; else pending one agency up, arrival lower_submitted
 * - down:          at chain[0] → returned; else pending one agency down, arrival upper_returned
 * - to_draft:      a change of a stored system starts as a draft
 */
type Move = 'to_supervisor' | 'up' | 'down' | 'to_draft';

type Cell = Move | { readonly refuse: RefusalCode };

interface Rule {
  readonly by: Actor['kind'];
  readonly records: HistoryAction;
  /** What the command carries as its note, and whether the note may be blank. */
  readonly note: 'none' | 'optional' | 'required';
  readonly from: Readonly<Record<PositionKey, Cell>>;
}

const NOT_HERE = { refuse: 'not_pending_here' } as const;
const UNDER_REVIEW = { refuse: 'under_review' } as const;

/**
 * The whole workflow. Two guards apply before a cell is read, because they concern the actor
 * rather than the position: the actor must be of the rule's kind, and an agency must be on the
 * chain and — when the filing is pending — be the agency holding it. So 'up'/'down' in a
 * pending column always mean "by the agency holding it".
 */
const RULES: Readonly<Record<CommandType, Rule>> = Object.freeze({
  submit: {
    by: 'enterprise',
    records: 'submit',
    note: 'none',
    from: {
      draft: 'to_supervisor',
      returned: 'to_supervisor',
      'pending:enterprise_submitted': UNDER_REVIEW,
      'pending:lower_submitted': UNDER_REVIEW,
      'pending:upper_returned': UNDER_REVIEW,
      stored: { refuse: 'already_stored' },
    },
  },
  approve: {
    by: 'agency',
    records: 'approve',
    note: 'optional',
    from: {
      draft: NOT_HERE,
      returned: NOT_HERE,
      'pending:enterprise_submitted': 'up',
      'pending:lower_submitted': 'up',
      'pending:upper_returned': { refuse: 'approve_upper_returned' },
      stored: NOT_HERE,
    },
  },
  return: {
    by: 'agency',
    records: 'return',
    note: 'required',
    from: {
      draft: NOT_HERE,
      returned: NOT_HERE,
      'pending:enterprise_submitted': 'down',
      'pending:lower_submitted': 'down',
      'pending:upper_returned': 'down',
      stored: NOT_HERE,
    },
  },
  reopen: {
    by: 'enterprise',
    records: 'reopen',
    note: 'none',
    from: {
      draft: { refuse: 'not_stored' },
      returned: { refuse: 'not_stored' },
      'pending:enterprise_submitted': UNDER_REVIEW,
      'pending:lower_submitted': UNDER_REVIEW,
      'pending:upper_returned': UNDER_REVIEW,
      stored: 'to_draft',
    },
  },
});

function positionKey(position: Position): PositionKey {
  return position.state === 'pending' ? `pending:${position.arrival as Arrival}` : position.state;
}

function assertValid(position: Position): void {
  if (!isValidPosition(position)) {
    throw new Error(`workflow: invalid position ${JSON.stringify(position)}`);
  }
}

/** The table lookup plus the actor guards; everything of `decide` but the note. */
function check(
  position: Position,
  chain: Chain | undefined,
  actor: Actor,
  type: CommandType,
): Move | Refusal {
  assertValid(position);
  const rule = RULES[type];
  if (actor.kind !== rule.by) return refuse(rule.by === 'enterprise' ? 'enterprise_only' : 'agency_only');
  if (actor.kind === 'agency') {
    if (!requireChain(chain).includes(actor.agencyId)) return refuse('agency_not_on_chain');
    if (position.state === 'pending' && position.agencyId !== actor.agencyId)
      return refuse('not_pending_here');
  }
  const cell = rule.from[positionKey(position)];
  return typeof cell === 'string' ? cell : refuse(cell.refuse);
}

/** Reopening needs no chain (nothing moves between agencies); every other move does. */
function requireChain(chain: Chain | undefined): Chain {
  if (chain === undefined) throw new Error('workflow: this command needs the review chain');
  if (chain.length === 0 || new Set(chain).size !== chain.length || !chain.every(Number.isInteger)) {
    throw new Error(`workflow: invalid chain ${JSON.stringify(chain)}`);
  }
  return chain;
}

function move(kind: Move, chain: Chain | undefined, actor: Actor): Position {
  if (kind === 'to_draft') return DRAFT;
  const path = requireChain(chain);
  if (kind === 'to_supervisor') return pendingAt(path[0], 'enterprise_submitted');
  // The table gives 'up' and 'down' to agencies only, and check() let only the holder through.
  if (actor.kind !== 'agency') throw new Error(`workflow: '${kind}' by a non-agency actor`);
  const here = path.indexOf(actor.agencyId);
  if (kind === 'up') return here === path.length - 1 ? STORED : pendingAt(path[here + 1], 'lower_submitted');
  return here === 0 ? RETURNED : pendingAt(path[here - 1], 'upper_returned');
}

function noteOf(command: Command): string | null {
  const text =
    command.type === 'return' ? command.reason : command.type === 'approve' ? command.comment : undefined;
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

// ---------------------------------------------------------------------------------------------
// Public decisions
// ---------------------------------------------------------------------------------------------

/**
 * Given where the filing is, its chain, who acts and what they ask: the next position and the
 * history action to record, or why not. Throws only on malformed input (an invalid position or
 * chain), which is a programming or data error, never a user's.
 */
export function decide(position: Position, chain: Chain, actor: Actor, command: Command): Decision {
  const checked = check(position, chain, actor, command.type);
  if (typeof checked !== 'string') return checked;
  const rule = RULES[command.type];
  const note = rule.note === 'none' ? null : noteOf(command);
  // Checked after the position on purpose: "already handled" matters more than a blank reason.
  if (rule.note === 'required' && note === null) return refuse('reason_required');
  return { ok: true, next: move(checked, chain, actor), historyAction: rule.records, note };
}

/**
 * The enterprise opens a change (变更) of a stored system: the live filing becomes a draft. The
 * database keeps its pointer to the stored version, which stays the one everybody queries until
 * the change is itself stored. No chain is needed: nothing moves between agencies.
 */
export function reopenForChange(position: Position): Decision {
  const checked = check(position, undefined, { kind: 'enterprise' }, 'reopen');
  if (typeof checked !== 'string') return checked;
  return {
    ok: true,
    next: move(checked, undefined, { kind: 'enterprise' }),
    historyAction: 'reopen',
    note: null,
  };
}

/**
 * 年度复查: the enterprise confirms a stored system unchanged (确认无变化). Only a stored system
 * can be; it stays stored, its stored version unchanged — nothing moves between agencies, so the
 * confirmation is accepted as it is (README: why it is not reviewed) and recorded in the history.
 */
export function confirmUnchanged(position: Position): Decision {
  assertValid(position);
  if (position.state === 'pending') return refuse('under_review');
  if (position.state !== 'stored') return refuse('not_stored');
  return { ok: true, next: STORED, historyAction: 'confirm', note: null };
}

/**
 * 放弃变更: an unsubmitted change (a reopened stored system, still a draft) goes back to its
 * stored version. `storedVersion` is the system's pointer (null: never stored).
 */
export function discardChange(position: Position, storedVersion: number | null): Decision {
  assertValid(position);
  if (position.state !== 'draft' || storedVersion === null) return refuse('no_open_change');
  return { ok: true, next: STORED, historyAction: 'discard', note: null };
}

/** 删除草稿: only a draft that was never submitted (no version, no history) may be deleted. */
export function checkDelete(
  position: Position,
  versions: { latest: number; stored: number | null },
): { readonly ok: true } | Refusal {
  assertValid(position);
  return position.state === 'draft' && versions.latest === 0 && versions.stored === null
    ? { ok: true }
    : refuse('not_a_new_draft');
}

/**
 * May the enterprise edit the filing's data now? Exactly when it may submit it: in draft or
 * returned. Editing is not a transition, so it records nothing.
 */
export function checkEdit(position: Position): { readonly ok: true } | Refusal {
  assertValid(position);
  const cell = RULES.submit.from[positionKey(position)];
  return typeof cell === 'string' ? { ok: true } : refuse(cell.refuse);
}

export type AllowedAction = 'edit' | 'submit' | 'reopen' | 'approve' | 'return';

/** The buttons to render for this actor, derived from the same table as `decide`. */
export function allowedActions(position: Position, chain: Chain, actor: Actor): AllowedAction[] {
  const allowed = (type: CommandType): boolean => typeof check(position, chain, actor, type) === 'string';
  const result: AllowedAction[] = [];
  if (actor.kind === 'enterprise') {
    if (checkEdit(position).ok) result.push('edit');
    if (allowed('submit')) result.push('submit');
    if (allowed('reopen')) result.push('reopen');
  } else {
    if (allowed('approve')) result.push('approve');
    if (allowed('return')) result.push('return');
  }
  return result;
}
