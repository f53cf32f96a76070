import { BadRequest } from '../domain/errors';
import { isIsoDate } from '../domain/campaign';

/**
 * One behaviour for a list page's filters that were not understood (a value no form offers, a
 * repeated parameter, an over-long keyword): the filter is ignored, the page is still shown with
 * the other filters applied, it says in Chinese which filters it ignored, and it answers 400.
 * A download (.xlsx) cannot show a notice: it refuses with the same message instead of
 * exporting a set the user did not ask for (`refuseNotUnderstood`).
 */
export function notUnderstoodMessage(labels: readonly string[]): string | null {
  if (labels.length === 0) return null;
  return `查询条件“${labels.join('”“')}”的取值无法识别，已忽略该条件；下面显示的是按其余条件查询的结果。`;
}

/** For downloads: a filter not understood refuses the export (400) rather than ignoring it. */
export function refuseNotUnderstood(labels: readonly string[]): void {
  const message = notUnderstoodMessage(labels);
  if (message) throw new BadRequest(message.replace(/；.*$/u, '，请重新选择查询条件后再导出。'));
}

/** Reads a list page's URL query: trimmed strings, '' as absent; what it cannot read it records. */
export function queryReader(raw: Record<string, unknown>) {
  /** Labels of the filters ignored because their value was not understood, in query order. */
  const notUnderstood: string[] = [];
  const ignore = (label: string): undefined => {
    if (!notUnderstood.includes(label)) notUnderstood.push(label);
    return undefined;
  };
  const str = (key: string, label = '查询条件'): string | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return ignore(label);
    const t = v.trim();
    return t === '' ? undefined : t;
  };
  /** A value no form offers is ignored and named. */
  const oneOf = <T extends string>(key: string, allowed: readonly string[], label: string): T | undefined => {
    const v = str(key, label);
    if (v !== undefined && !allowed.includes(v)) return ignore(label);
    return v as T | undefined;
  };
  /** Free text, bounded: a longer one is ignored and named. */
  const text = (key: string, max: number, label = '关键字'): string | undefined => {
    const v = str(key, label);
    if (v !== undefined && v.length > max) return ignore(`${label}（不能超过 ${max} 个字符）`);
    return v;
  };
  /** A calendar day, YYYY-MM-DD (what a date input sends); anything else is ignored and named. */
  const day = (key: string, label: string): string | undefined => {
    const v = str(key, label);
    return v === undefined || isIsoDate(v) ? v : ignore(label);
  };
  return { str, oneOf, text, day, notUnderstood };
}
