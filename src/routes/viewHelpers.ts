import { daysWaiting } from '../domain/stats';

// Small formatting helpers for templates (app.locals.h). Dates are shown in China Standard Time.
const TZ = 'Asia/Shanghai';

// Built once: constructing an Intl.DateTimeFormat costs far more than using one.
const FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const NUMBER = new Intl.NumberFormat('zh-CN');

/** 12,345 (the grouping used in Chinese official tables). */
export const formatNumber = (n: number): string => NUMBER.format(n);

function parts(d: Date): Record<string, string> {
  return Object.fromEntries(FORMAT.formatToParts(d).map((p) => [p.type, p.value]));
}

function toDate(v: Date | string | null | undefined): Date | null {
  if (!v) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const viewHelpers = {
  date(v: Date | string | null | undefined): string {
    const d = toDate(v);
    if (!d) return '—';
    const p = parts(d);
    return `${p.year}-${p.month}-${p.day}`;
  },
  dateTime(v: Date | string | null | undefined): string {
    const d = toDate(v);
    if (!d) return '—';
    const p = parts(d);
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  },
  /** Whole days since the given moment (0 on the same day): domain/stats.ts daysWaiting. */
  daysSince(v: Date | string | null | undefined, now = new Date()): number {
    return daysWaiting(toDate(v), now) ?? 0;
  },
  number(n: number | null | undefined): string {
    return n === null || n === undefined ? '—' : formatNumber(n);
  },
};
