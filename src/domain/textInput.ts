/**
 * Text that no form field can hold: NUL (PostgreSQL refuses it in text) and UTF-16 surrogates
 * without their pair (not encodable as UTF-8). Both are refused as bad input before any
 * query sees them.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const BAD_TEXT_MESSAGE = '提交的内容含有无法识别的字符（如空字符），请删除后重新提交';

/** Whether a parsed parameter value (a string, or arrays and objects of them) holds such text. */
export function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => UNSTORABLE.test(k) || hasUnstorableText(v, depth + 1));
}
