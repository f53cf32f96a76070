/**
 * 催办 (issue 15 part 3): the rules of an urge. An agency urges downward only: a lower agency of
 * its own subtree about items overdue there, or an enterprise of its jurisdiction about a system
 * not submitted or returned to it. Everything else does not exist for it (404).
 */
import type { WorkflowState } from './workflow';

export const URGE_NOTE_MAX = 500;

/** The note: required, at most 500 characters (trimmed). */
export function parseUrgeNote(raw: unknown): { ok: true; note: string } | { ok: false; message: string } {
  const note = typeof raw === 'string' ? raw.trim() : '';
  if (!note) return { ok: false, message: '请填写催办说明' };
  if (note.length > URGE_NOTE_MAX) return { ok: false, message: `催办说明不能超过 ${URGE_NOTE_MAX} 个字` };
  return { ok: true, note };
}

/** `target` lies strictly below `urger` in the tree (paths like '/000000/330000/'). */
export function isBelow(urgerPath: string, targetPath: string): boolean {
  return targetPath.startsWith(urgerPath) && targetPath !== urgerPath;
}

/** `target` is the urger's own agency or below it. */
export function isInSubtree(urgerPath: string, targetPath: string): boolean {
  return targetPath.startsWith(urgerPath);
}

/** What the enterprise owes on a system: not submitted yet, or returned to it. */
export function waitsForEnterprise(state: WorkflowState): boolean {
  return state === 'draft' || state === 'returned';
}

/** The text of the agency's 站内通知 of an urge. */
export function urgeNoticeBody(fromName: string, items: number, note: string): string {
  return `${fromName}催办 ${items} 条超期待审核信息：${note}`;
}

/** The enterprise's 站内消息 of an urge. */
export function urgeMessageBody(
  fromName: string,
  systemName: string,
  state: WorkflowState,
  note: string,
): string {
  const what = state === 'returned' ? '已退回的生产系统' : '尚未提交的生产系统';
  return `${fromName}催办${what}“${systemName}”：${note}`;
}
