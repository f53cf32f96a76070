/**
 * Rounds of a filing: what a version is (a first filing or a 变更 of a stored system) and which
 * returns are still open (the return round whose field flags and reasons the pages show).
 *
 * A return round starts with the return that turns a run of approvals back down and lasts while
 * the filing goes down and up again; it ends when a later submission is stored (or the stored
 * system is reopened or confirmed). Flags of an ended round are history, never 「退回指出」.
 */

/** The history columns the rules read. */
export interface RoundRow {
  readonly action: string;
  readonly toState: string | null;
  readonly version: number;
}

/** The short label of a version that replaces a stored one, on lists, details and history. */
export const CHANGE_LABEL = '变更';

/** A version under review or stored that would replace (or replaced) a stored version. */
export interface ChangeOf {
  /** The stored version it replaces. */
  readonly replaces: number;
}

/**
 * Is `version` a 变更? It is when the system already had a stored version before it
 * (`storedVersion` as the system row holds it: stays put until the change is stored).
 */
export function changeOf(storedVersion: number | null, version: number): ChangeOf | null {
  return storedVersion !== null && version > storedVersion ? { replaces: storedVersion } : null;
}

/** A row that ends a return round: the filing (or a later one) was stored, reopened or confirmed. */
const endsRound = (r: RoundRow): boolean =>
  (r.action === 'approve' && r.toState === 'stored') ||
  r.action === 'reopen' ||
  r.action === 'confirm' ||
  r.action === 'discard';

/**
 * The returns of the open round, newest first: the latest run of consecutive returns, unless
 * the filing was stored (or reopened) after it — then none.
 */
export function openReturnRound<T extends RoundRow>(rows: readonly T[]): T[] {
  const run: T[] = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (r.action === 'return') run.push(r);
    else if (run.length) break;
    else if (endsRound(r)) return [];
  }
  return run;
}

/** The fields the open round's returns pointed at (each once). */
export function openRoundFields(
  rows: readonly (RoundRow & { readonly fields: readonly string[] })[],
): string[] {
  return [...new Set(openReturnRound(rows).flatMap((r) => r.fields))];
}

/**
 * For each history row, whether it belongs to a 变更 (a version after a stored one): the
 * submission and the review moves of that version read 「（变更）」 in the history.
 */
export function changeRows(rows: readonly RoundRow[]): boolean[] {
  let storedVersion: number | null = null;
  return rows.map((r) => {
    const change = changeOf(storedVersion, r.version) !== null;
    if (r.action === 'approve' && r.toState === 'stored') storedVersion = r.version;
    return change;
  });
}

/** A return reason as the enterprise's message quotes it. */
export interface QuotedReason {
  readonly agency: string;
  readonly reason: string;
}

const trimEnd = (s: string): string => s.replace(/[。.!！；;\s]+$/u, '');

/**
 * The 站内消息 of a return to the enterprise: every level's reason of the round, in the order
 * it came down (the highest level first), not only the last one.
 */
export function returnMessage(systemName: string, reasons: readonly QuotedReason[]): string {
  const quoted = reasons.filter((r) => r.reason.trim());
  if (quoted.length <= 1)
    return `“${systemName}”已被退回，退回理由：${trimEnd(quoted[0]?.reason ?? '')}。请修改后重新提交。`;
  const chain = quoted.map((r, i) => `（${i + 1}）${r.agency}：${trimEnd(r.reason)}`).join('；');
  return `“${systemName}”已被退回，各级退回理由：${chain}。请修改后重新提交。`;
}
