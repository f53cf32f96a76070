import { BadRequest } from '../domain/errors';

/** Reads a list page's URL query: trimmed strings, '' as absent, anything else a 400. */
export function queryReader(raw: Record<string, unknown>) {
  const str = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new BadRequest('查询条件格式不正确');
    const t = v.trim();
    return t === '' ? undefined : t;
  };
  /** A value no form offers is a 400 naming the filter. */
  const oneOf = <T extends string>(key: string, allowed: readonly string[], label: string): T | undefined => {
    const v = str(key);
    if (v !== undefined && !allowed.includes(v)) throw new BadRequest(`查询条件“${label}”的取值不正确`);
    return v as T | undefined;
  };
  /** Free text, bounded. */
  const text = (key: string, max: number): string | undefined => {
    const v = str(key);
    if (v !== undefined && v.length > max) throw new BadRequest(`查询关键字不能超过 ${max} 个字符`);
    return v;
  };
  return { str, oneOf, text };
}
