import { creditCodeError, isValidCreditCode, withCreditCodeCheck } from '../../src/domain/creditCode';

const VALID = ['91350100M000100Y43', '914403001922038216', '91110000710925462X'];
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('GB 32100-2015 credit code', () => {
  it.each(VALID)('accepts %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
    expect(creditCodeError(code)).toBeNull();
  });

  it.each(VALID)('rejects %s with any single character changed', (code) => {
    for (let i = 0; i < code.length; i++) {
      const other = CHARSET[(CHARSET.indexOf(code[i]) + 7) % CHARSET.length];
      const corrupted = code.slice(0, i) + other + code.slice(i + 1);
      expect(isValidCreditCode(corrupted)).toBe(false);
      expect(creditCodeError(corrupted)).toBe('统一社会信用代码校验位不正确');
    }
  });

  it('rejects wrong lengths', () => {
    for (const code of ['', '91350100M000100Y4', '91350100M000100Y431', '9135']) {
      expect(isValidCreditCode(code)).toBe(false);
      expect(creditCodeError(code)).toBe('统一社会信用代码应为18位');
    }
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the forbidden letter %s', (letter) => {
    const code = `91350100${letter}000100Y43`;
    expect(isValidCreditCode(code)).toBe(false);
    expect(creditCodeError(code)).toMatch(/不含 I、O、Z、S、V/);
  });

  it('is strict about case and stray characters', () => {
    expect(isValidCreditCode('91350100m000100y43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4 ')).toBe(false);
    expect(isValidCreditCode('91350100M000-00Y43')).toBe(false);
  });

  it('completes a code with its check character', () => {
    for (const code of VALID) expect(withCreditCodeCheck(code.slice(0, 17))).toBe(code);
    expect(() => withCreditCodeCheck('91350100I000100Y4')).toThrow(RangeError);
  });
});
