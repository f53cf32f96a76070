import { PASSWORD_POLICY_TEXT, passwordPolicyErrors } from '../../src/domain/passwordPolicy';

describe('password policy', () => {
  it('accepts a long enough password with letters and digits', () => {
    expect(passwordPolicyErrors('Kuangshan2024', { username: 'zjmine01' })).toEqual([]);
    expect(passwordPolicyErrors('abcdefg1', { username: 'zjmine01', oldPassword: 'Old12345' })).toEqual([]);
  });

  it('requires at least 8 characters', () => {
    expect(passwordPolicyErrors('abc1234', { username: 'u' })).toEqual(['密码至少 8 位']);
  });

  it('requires letters and digits', () => {
    expect(passwordPolicyErrors('abcdefgh', { username: 'u' })).toEqual(['密码须同时包含字母和数字']);
    expect(passwordPolicyErrors('12345678', { username: 'u' })).toEqual(['密码须同时包含字母和数字']);
  });

  it('refuses the username, in any case', () => {
    expect(passwordPolicyErrors('Zjmine01', { username: 'zjmine01' })).toEqual(['密码不能与用户名相同']);
  });

  it('refuses the old password', () => {
    expect(passwordPolicyErrors('Abcdef12', { username: 'u', oldPassword: 'Abcdef12' })).toEqual([
      '新密码不能与原密码相同',
    ]);
  });

  it('refuses passwords bcrypt would truncate', () => {
    expect(passwordPolicyErrors(`a1${'x'.repeat(71)}`, { username: 'u' })).toHaveLength(1);
    expect(passwordPolicyErrors(`a1${'x'.repeat(70)}`, { username: 'u' })).toEqual([]);
  });

  it('reports every broken rule', () => {
    expect(passwordPolicyErrors('abc', { username: 'abc', oldPassword: 'abc' })).toHaveLength(4);
  });

  it('has a policy text for the forms', () => {
    expect(PASSWORD_POLICY_TEXT).toBe(
      '密码至少 8 位，须同时包含字母和数字，不能与用户名相同，不能与原密码相同。',
    );
  });
});
