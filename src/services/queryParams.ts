import { isIsoDate } from '../domain/campaign';

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
