/**
 * The census campaign's timetable and the one overdue rule (issue 15). Each level reviews an
 * item within its limit in working days — the State Council's holiday arrangement as published
 * in the `chinese-days` package (holidays off, 调休 make-up days on). A year the package does
 * not cover is counted in calendar days, and pages say so.
 *
 * Dates are China Standard Time days, 'YYYY-MM-DD'. An item arriving on day D is due on the
 * N-th working day after D (D itself not counted) and overdue from the day after its due day.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json';
import type { AgencyLevel } from './orgTree';

/** The review levels with a limit, in chain order (offshore units review like provinces). */
export const LIMIT_LEVELS = [
  'county',
  'city',
  'province',
  'offshore',
  'national',
] as const satisfies readonly AgencyLevel[];
export type ReviewLimits = Readonly<Record<AgencyLevel, number>>;

export const MAX_LIMIT_DAYS = 60;

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const HOLIDAYS = new Set(Object.keys(chineseDays.holidays));
const MAKE_UP_DAYS = new Set(Object.keys(chineseDays.workdays));
/** Years the package publishes an arrangement for. */
const COVERED_YEARS = new Set([...HOLIDAYS].map((d) => Number(d.slice(0, 4))));

const toMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && toDay(toMs(value)) === value;
}

/** The day in China (UTC+8, no daylight saving) at the moment `at`. */
export function chinaDay(at: Date): string {
  return toDay(at.getTime() + 8 * 3_600_000);
}

/** The moment the China day `day` begins (00:00 UTC+8). */
export function chinaDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

/** Whether the package covers `year`; an uncovered year is counted in calendar days. */
export function yearCovered(year: number): boolean {
  return COVERED_YEARS.has(year);
}

/** A working day: per the arrangement where published, every day where not. */
export function isWorkingDay(day: string): boolean {
  if (!yearCovered(Number(day.slice(0, 4)))) return true;
  if (MAKE_UP_DAYS.has(day)) return true;
  if (HOLIDAYS.has(day)) return false;
  const weekday = new Date(toMs(day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The `n`-th working day after `day` (`day` itself not counted); `day` when n = 0. */
export function addWorkingDays(day: string, n: number): string {
  let ms = toMs(day);
  for (let left = n; left > 0;) {
    ms += DAY_MS;
    if (isWorkingDay(toDay(ms))) left -= 1;
  }
  return toDay(ms);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toMs(to) - toMs(from)) / DAY_MS);
}

export function addCalendarDays(day: string, n: number): string {
  return toDay(toMs(day) + n * DAY_MS);
}

/** The years between two days the package does not cover (the page names them). */
export function uncoveredYears(from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) if (!yearCovered(y)) years.push(y);
  return years;
}

/** When an item that arrived at `arrivedAt` at an agency of `level` is due (a China day). */
export function dueDay(arrivedAt: Date, level: AgencyLevel, limits: ReviewLimits): string {
  return addWorkingDays(chinaDay(arrivedAt), limits[level]);
}

export type Lateness = { overdue: false; daysLeft: number } | { overdue: true; daysLate: number };

/** 剩余 N 天 / 超期 N 天 on `today`, in calendar days to or past the due day. */
export function lateness(due: string, today: string): Lateness {
  const d = daysBetween(today, due);
  return d >= 0 ? { overdue: false, daysLeft: d } : { overdue: true, daysLate: -d };
}

export function latenessLabel(l: Lateness): string {
  return l.overdue ? `超期 ${l.daysLate} 天` : l.daysLeft === 0 ? '今日到期' : `剩余 ${l.daysLeft} 天`;
}

/**
 * The overdue rule as a cut-off: an item at a `level` agency is overdue on `today` exactly when
 * it arrived before the returned China day. (Due days grow with arrival days, so the latest
 * arrival still overdue is the day before the first arrival whose due day is today or later.)
 * The data side filters `arrival < cutoff` with it (data/campaign.ts `whereOverdue`).
 */
export function overdueCutoff(level: AgencyLevel, limits: ReviewLimits, today: string): string {
  // Walk back from today: the due day of an arrival on `today - k` is at most `today` once k
  // reaches the limit's calendar span; a limit of N working days spans at most N + 30 days.
  let day = today;
  for (let k = 0; k <= limits[level] * 3 + 40; k++) {
    const prev = addCalendarDays(day, -1);
    if (addWorkingDays(prev, limits[level]) < today) return day;
    day = prev;
  }
  return day;
}

/** `overdueCutoff` for every level: the China day before which an arrival is overdue on `today`. */
export function overdueCutoffs(limits: ReviewLimits, today: string): Record<AgencyLevel, string> {
  const cutoffs = {} as Record<AgencyLevel, string>;
  for (const level of LIMIT_LEVELS) cutoffs[level] = overdueCutoff(level, limits, today);
  return cutoffs;
}

/** The due date and lateness of an item pending since `arrivedAt` at a `level` agency, on `now`. */
export function itemDue(
  arrivedAt: Date,
  level: AgencyLevel,
  limits: ReviewLimits,
  now: Date,
): { due: string; lateness: Lateness; label: string } {
  const due = dueDay(arrivedAt, level, limits);
  const l = lateness(due, chinaDay(now));
  return { due, lateness: l, label: latenessLabel(l) };
}

export function isOverdue(arrivedAt: Date, level: AgencyLevel, limits: ReviewLimits, now: Date): boolean {
  return dueDay(arrivedAt, level, limits) < chinaDay(now);
}

export const LIMIT_LABELS: Readonly<Record<AgencyLevel, string>> = Object.freeze({
  county: '县级审核时限',
  city: '市级审核时限',
  province: '省级审核时限',
  offshore: '海油安办审核时限',
  national: '总局审核时限',
});

/** A round's timetable as 总局 sets it. */
export interface Timetable {
  name: string;
  startsOn: string;
  filingDeadline: string;
  limits: ReviewLimits;
}

export type TimetableField = 'name' | 'startsOn' | 'filingDeadline' | `limit_${AgencyLevel}`;

/**
 * The /campaign form checked in one pass: every error at once (field → Chinese message), or
 * the timetable. Values come back as typed so the form keeps them.
 */
export function parseTimetable(
  body: Record<string, unknown>,
):
  | { ok: true; value: Timetable }
  | { ok: false; errors: Partial<Record<TimetableField, string>>; values: Record<string, string> } {
  const text = (k: string): string => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const values: Record<string, string> = {};
  const errors: Partial<Record<TimetableField, string>> = {};
  const name = (values.name = text('name'));
  if (!name) errors.name = '请填写普查任务名称';
  else if (name.length > 100) errors.name = '普查任务名称不超过 100 个字';
  const startsOn = (values.startsOn = text('startsOn'));
  if (!isIsoDate(startsOn)) errors.startsOn = '请填写开始日期（年-月-日）';
  const filingDeadline = (values.filingDeadline = text('filingDeadline'));
  if (!isIsoDate(filingDeadline)) errors.filingDeadline = '请填写企业填报截止日期（年-月-日）';
  else if (isIsoDate(startsOn) && filingDeadline < startsOn)
    errors.filingDeadline = '填报截止日期不能早于开始日期';
  const limits = {} as Record<AgencyLevel, number>;
  for (const level of LIMIT_LEVELS) {
    const key = `limit_${level}` as const;
    const raw = (values[key] = text(key));
    if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT_DAYS)
      errors[key] = `${LIMIT_LABELS[level]}请填写 1–${MAX_LIMIT_DAYS} 之间的整数（工作日）`;
    else limits[level] = Number(raw);
  }
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, value: { name, startsOn, filingDeadline, limits } };
}

/** What a timetable looks like as form values (to fill the form with the stored one). */
export function timetableValues(t: Timetable): Record<string, string> {
  const values: Record<string, string> = {
    name: t.name,
    startsOn: t.startsOn,
    filingDeadline: t.filingDeadline,
  };
  for (const level of LIMIT_LEVELS) values[`limit_${level}`] = String(t.limits[level]);
  return values;
}
