/** GB 32100-2015 unified social credit code (统一社会信用代码). */

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;

function checkChar(code: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(code[i]) * WEIGHTS[i];
  return CHARSET[(31 - (sum % 31)) % 31];
}

/** Appends the check character to 17 valid leading characters (seeding, benchmark data). */
export function withCreditCodeCheck(first17: string): string {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{17}$/.test(first17)) throw new RangeError('expected 17 GB 32100 characters');
  return first17 + checkChar(first17);
}

/** Strict: 18 characters of the GB 32100 charset (uppercase only) with a correct check character. */
export function isValidCreditCode(code: string): boolean {
  return creditCodeError(code) === null;
}

/** The Chinese message explaining why the code is invalid, or null when it is valid. */
export function creditCodeError(code: string): string | null {
  if (code.length !== 18) return '统一社会信用代码应为18位';
  if (!SHAPE.test(code)) return '统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V）';
  if (checkChar(code) !== code[17]) return '统一社会信用代码校验位不正确';
  return null;
}
