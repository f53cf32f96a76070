import {
  AFFILIATIONS,
  ECONOMIC_TYPES,
  enterpriseSections,
  exampleEnterpriseData,
  registrationSections,
  validateEnterprise,
} from '../../src/domain/enterprise';
import { allFields } from '../../src/domain/systems/index';

const register = (changes: Record<string, unknown> = {}, ownerless?: boolean) =>
  validateEnterprise({ ...exampleEnterpriseData(), ...changes }, { mode: 'register', ownerless });
const profile = (changes: Record<string, unknown> = {}) =>
  validateEnterprise({ ...exampleEnterpriseData(), ...changes }, { mode: 'profile' });

describe('enterprise form definition', () => {
  it('has the code lists of FIELDS.md', () => {
    expect(ECONOMIC_TYPES.map((o) => o.value)).toEqual([
      '110',
      '120',
      '130',
      '140',
      '150',
      '160',
      '170',
      '190',
      '200',
      '300',
    ]);
    expect(AFFILIATIONS.map((o) => o.value)).toEqual(['10', '20', '40', '50', '61', '62', '63', '90']);
    expect(ECONOMIC_TYPES[0].label).toBe('国有');
  });

  it('adds the account fields for registration only', () => {
    const codes = allFields({ sections: enterpriseSections }).map((f) => f.code);
    expect(codes).not.toContain('username');
    const registration = allFields({ sections: registrationSections }).map((f) => f.code);
    expect(registration).toEqual(
      expect.arrayContaining([...codes, 'username', 'password', 'password_confirm']),
    );
  });
});

describe('validateEnterprise', () => {
  it('accepts the example for registration and profile', () => {
    const r = register();
    expect(r.errors).toEqual({});
    expect(r.ok).toBe(true);
    expect(r.data).toMatchObject({
      economic_type: '150',
      ownerless: false,
      supervising_agency_id: 1,
      username: 'zjmine01',
    });
    expect(profile().ok).toBe(true);
    expect(profile().data).not.toHaveProperty('password');
  });

  it('never echoes passwords back', () => {
    const r = register({ password: 'short' });
    expect(r.values.password).toBe('');
    expect(r.values.password_confirm).toBe('');
    expect(r.values.username).toBe('zjmine01');
  });

  it('requires the required fields', () => {
    const r = validateEnterprise({}, { mode: 'register' });
    expect(Object.keys(r.errors).sort()).toEqual(
      [
        'credit_code',
        'name',
        'economic_type',
        'affiliation',
        'legal_rep',
        'safety_head',
        'contact_name',
        'contact_phone',
        'address',
        'region_code',
        'supervising_agency_id',
        'username',
        'password',
        'password_confirm',
      ].sort(),
    );
    expect(r.errors.supervising_agency_id).toBe('请选择直接监管部门');
    expect(r.errors.economic_type).toBe('请选择经济类型');
    expect(r.errors.legal_rep).toBe('请填写法定代表人');
  });

  it('uppercases and checks the credit code', () => {
    const lower = register({ credit_code: ' 91330681ma2bc12348 ' });
    expect(lower.ok).toBe(true);
    expect(lower.data.credit_code).toBe('91330681MA2BC12348');
    expect(register({ credit_code: '91330681MA2BC12349' }).errors.credit_code).toBe(
      '统一社会信用代码校验位不正确',
    );
    expect(register({ credit_code: '91330681MA2BC1234' }).errors.credit_code).toBe(
      '统一社会信用代码应为18位',
    );
    expect(register({ credit_code: '91330681IA2BC12348' }).errors.credit_code).toMatch(/不含 I、O、Z、S、V/);
  });

  it('checks contact shapes', () => {
    expect(register({ contact_phone: '0575-8701' }).ok).toBe(true);
    expect(register({ contact_phone: '8701' }).errors.contact_phone).toBe('联系电话应为7–20位数字或“-”');
    expect(register({ contact_phone: '0575 87012345' }).errors.contact_phone).toBeDefined();
    expect(register({ contact_mobile: '23805751234' }).errors.contact_mobile).toBe(
      '手机号码应为以1开头的11位数字',
    );
    expect(register({ contact_mobile: '1380575123' }).errors.contact_mobile).toBeDefined();
    expect(register({ contact_mobile: '' }).ok).toBe(true);
    expect(register({ email: 'not-an-email' }).errors.email).toBe('电子邮箱格式不正确');
    expect(register({ postcode: '31180' }).errors.postcode).toBe('邮政编码应为6位数字');
    expect(register({ name: '企'.repeat(101) }).errors.name).toBe('不能超过 100 个字符');
  });

  it('checks enums, region and agency shapes', () => {
    expect(register({ economic_type: '999' }).errors.economic_type).toBe('请选择列表中的选项');
    expect(register({ affiliation: '30' }).errors.affiliation).toBe('请选择列表中的选项');
    expect(register({ region_code: '3306' }).errors.region_code).toBe('行政区划代码应为6位数字');
    expect(register({ supervising_agency_id: '0' }).errors.supervising_agency_id).toBe('请选择直接监管部门');
    expect(register({ supervising_agency_id: '1.5' }).errors.supervising_agency_id).toBe('请输入整数');
    expect(register({ supervising_agency_id: '1 or 1=1' }).errors.supervising_agency_id).toBe('请输入数字');
    expect(register({ ownerless: 'maybe' }).errors.ownerless).toBe('请选择列表中的选项');
  });

  it('checks the username', () => {
    for (const username of ['ab', '1abc', 'a-b-c', 'a'.repeat(33), '张三丰']) {
      expect(register({ username }).errors.username).toBe('用户名应为3–32位字母、数字或下划线，以字母开头');
    }
    expect(register({ username: 'a_1' }).ok).toBe(true);
  });

  it('applies the password policy and the confirmation', () => {
    expect(register({ password: 'abc123', password_confirm: 'abc123' }).errors.password).toBe(
      '密码至少 8 位',
    );
    expect(register({ password: 'abcdefgh', password_confirm: 'abcdefgh' }).errors.password).toBe(
      '密码须同时包含字母和数字',
    );
    expect(
      register({ username: 'abcd1234', password: 'abcd1234', password_confirm: 'abcd1234' }).errors.password,
    ).toBe('密码不能与用户名相同');
    expect(register({ password_confirm: 'Kuangshan2025' }).errors).toEqual({
      password_confirm: '两次输入的密码不一致',
    });
    // Passwords are not trimmed: a trailing space is part of the password.
    expect(register({ password_confirm: 'Kuangshan2024 ' }).errors.password_confirm).toBe(
      '两次输入的密码不一致',
    );
  });

  it('accepts 无 from ownerless filers only', () => {
    const none = { legal_rep: '无', safety_head: '无', contact_mobile: '无', email: '无', postcode: '无' };
    const agency = register({ ...none, ownerless: 'true' });
    expect(agency.ok).toBe(true);
    expect(agency.data).toMatchObject(none);
    expect(register(none, true).ok).toBe(true);
    const firm = register(none);
    expect(firm.errors).toEqual({ legal_rep: '请填写法定代表人', safety_head: '请填写安全负责人' });
    expect(firm.values.legal_rep).toBe('无');
    // The option wins over the form's own field; 无 never stands in for a required non-text field.
    expect(register({ ...none, ownerless: 'true' }, false).ok).toBe(false);
    expect(register({ supervising_agency_id: '无', ownerless: 'true' }).errors.supervising_agency_id).toBe(
      '请输入数字',
    );
  });

  it('ignores unknown keys and survives junk', () => {
    const r = register({ role: 'admin', credit_code: { toUpperCase: 1 }, name: ['a', 'b'] });
    expect(r.data).not.toHaveProperty('role');
    expect(r.errors).toEqual({ credit_code: '格式不正确', name: '格式不正确' });
  });
});
