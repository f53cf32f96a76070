/**
 * The reminder rules (issue 15 part 4): which reminders are due at a moment. Pure: the job
 * (services/reminders.ts) asks these at `now` and inserts what is due under a unique key, so a
 * reminder is sent once however often, however late, and by however many processes it runs.
 * Computing from `now` rather than from the last tick is what makes it catch up after downtime.
 */
import { chinaDay, daysBetween } from './campaign';
import { licenceExpiry, licenceWindow } from './licence';

/** The enterprises' filing reminders: 7 days and 1 day before the deadline, and once overdue. */
export type FilingStage = 'deadline_7' | 'deadline_1' | 'overdue';

export const FILING_STAGE_DAYS = { deadline_7: 7, deadline_1: 1 } as const;

/**
 * The filing reminder due on the China day of `now` for a round whose deadline is `deadline`:
 * the latest stage reached, or null before the first. Only the latest: after downtime across
 * both the 7-day and the 1-day moment, the enterprise hears "1 day left", not a stale "7 days".
 */
export function filingStageDue(deadline: string, now: Date): FilingStage | null {
  const left = daysBetween(chinaDay(now), deadline);
  if (left < 0) return 'overdue';
  if (left <= FILING_STAGE_DAYS.deadline_1) return 'deadline_1';
  if (left <= FILING_STAGE_DAYS.deadline_7) return 'deadline_7';
  return null;
}

/** The message an enterprise gets at a stage (the deadline as 'YYYY-MM-DD'). */
export function filingReminderBody(stage: FilingStage, roundName: string, deadline: string): string {
  if (stage === 'overdue')
    return `“${roundName}”的企业填报截止日期（${deadline}）已过，本企业仍有生产系统未提交或未确认，请尽快处理。`;
  const days = FILING_STAGE_DAYS[stage];
  return `“${roundName}”的企业填报将于 ${deadline} 截止（还有 ${days} 天），请尽快完成未提交或未确认的生产系统。`;
}

/** One reminder per enterprise, round and stage: the key is prefix + enterprise id + suffix. */
export function filingReminderKeyParts(stage: FilingStage, roundId: number): [string, string] {
  return [`filing:${roundId}:`, `:${stage}`];
}

export function filingReminderKey(stage: FilingStage, roundId: number, enterpriseId: number): string {
  const [prefix, suffix] = filingReminderKeyParts(stage, roundId);
  return `${prefix}${enterpriseId}${suffix}`;
}

/**
 * A licence reminder is due when the 安全生产许可证 expires within three months (the 安全生产许可证
 * 条例 asks for the extension three months ahead) and has not expired yet: the one licence rule's
 * 'expiring' class.
 */
export function licenceReminderDue(expires: unknown, now: Date): boolean {
  return licenceExpiry(expires, licenceWindow(now)) === 'expiring';
}

/** One reminder per system and expiry date: a renewed licence is reminded of again. */
export function licenceReminderKey(systemId: number, expires: string): string {
  return `licence:${systemId}:${expires}`;
}

export function licenceReminderBody(systemName: string, expires: string): string {
  return `“${systemName}”的安全生产许可证将于 ${expires} 到期，请在到期前三个月内申请延期。`;
}

/** The agency's daily notice of its overdue items: one a China day. */
export function overdueNoticeKey(agencyId: number, now: Date): string {
  return `overdue:${agencyId}:${chinaDay(now)}`;
}

export function overdueNoticeBody(count: number): string {
  return `本单位有 ${count} 条待审核信息已超过审核时限，请尽快处理。`;
}

/**
 * The agency's notice of newly arrived items: keyed by the latest arrival it covers, so two
 * runs seeing the same items write the same key, and the next notice covers what came after.
 */
export function arrivedNoticeKey(agencyId: number, coversUntil: Date): string {
  return `arrived:${agencyId}:${coversUntil.toISOString()}`;
}

export function arrivedNoticeBody(count: number): string {
  return `有 ${count} 条新的信息到达本单位待审核。`;
}

export function urgeNoticeKey(urgeId: number): string {
  return `urge:${urgeId}`;
}
