import crypto from 'node:crypto';
import {
  groupedSecret,
  parseSecondFactorInput,
  recoveryCodeFrom,
  recoveryCodeText,
  secondFactorRequired,
} from '../../src/domain/secondFactor';
import { ROLES } from '../../src/domain/roles';
import { secretBox } from '../../src/services/secretBox';

describe('who must use a second factor', () => {
  it('is the three administrators always, regulators when 安全策略 says so, enterprises never', () => {
    const required = (on: boolean) =>
      ROLES.filter((r) => secondFactorRequired(r, { regulatorSecondFactor: on }));
    expect(required(false)).toEqual(['sysadmin', 'secadmin', 'auditor']);
    expect(required(true)).toEqual(['regulator', 'sysadmin', 'secadmin', 'auditor']);
  });
});

describe('what is typed at the second step', () => {
  it('tells a 6-digit code from a recovery code, however it is spaced or cased', () => {
    expect(parseSecondFactorInput(' 123 456 ')).toEqual({ kind: 'totp', code: '123456' });
    expect(parseSecondFactorInput('ABCDE-FGHJK')).toEqual({ kind: 'recovery', code: 'abcdefghjk' });
    expect(parseSecondFactorInput('abcde fghjk')).toEqual({ kind: 'recovery', code: 'abcdefghjk' });
    expect(parseSecondFactorInput('')).toEqual({ kind: 'empty' });
    expect(parseSecondFactorInput(undefined)).toEqual({ kind: 'empty' });
    expect(parseSecondFactorInput(['123456'])).toEqual({ kind: 'empty' });
    expect(parseSecondFactorInput('12345')).toEqual({ kind: 'malformed' });
    expect(parseSecondFactorInput('abcde-fghj0')).toEqual({ kind: 'malformed' }); // 0 is not in the alphabet
  });

  it('makes recovery codes of the alphabet without look-alikes, shown as xxxxx-xxxxx', () => {
    const code = recoveryCodeFrom(crypto.randomBytes(10));
    expect(code).toMatch(/^[a-hjkmnp-z2-9]{10}$/);
    expect(recoveryCodeText(code)).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(parseSecondFactorInput(recoveryCodeText(code))).toEqual({ kind: 'recovery', code });
  });

  it('groups the secret by four for typing by hand', () => {
    expect(groupedSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });
});

describe('the secrets at rest (AES-256-GCM)', () => {
  const key = crypto.randomBytes(32);
  it('opens what it sealed for the same account only, and never under another key', () => {
    const box = secretBox(key);
    const sealed = box.seal(7, 'JBSWY3DPEHPK3PXP');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal(7, 'JBSWY3DPEHPK3PXP')).not.toBe(sealed); // a fresh nonce each time
    expect(box.open(7, sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(box.open(8, sealed)).toBeNull();
    expect(secretBox(crypto.randomBytes(32)).open(7, sealed)).toBeNull();
    const tampered = `v1:${Buffer.from(Buffer.from(sealed.slice(3), 'base64').map((b, i) => (i === 30 ? b ^ 1 : b))).toString('base64')}`;
    expect(box.open(7, tampered)).toBeNull();
    expect(box.open(7, 'garbage')).toBeNull();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => secretBox(Buffer.alloc(16))).toThrow('32 bytes');
  });
});
