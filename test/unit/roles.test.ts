import { ADMIN_ROLES, homeAreaOf, isAdminRole, mayEnter, ROLES, type Area } from '../../src/domain/roles';
import { validateSecurityPolicy, withDefaults, defaultSecurityPolicy } from '../../src/domain/securityPolicy';

describe('三员分立 (domain/roles)', () => {
  const areas: Area[] = ['review', 'filing', 'accounts', 'security', 'audit'];
  it('gives every area exactly one role, and every role exactly one area', () => {
    for (const area of areas) expect(ROLES.filter((r) => mayEnter(r, area))).toHaveLength(1);
    for (const role of ROLES) expect(areas.filter((a) => mayEnter(role, a))).toEqual([homeAreaOf(role)]);
  });
  it('keeps the three administrators apart', () => {
    expect(ADMIN_ROLES.map(homeAreaOf)).toEqual(['accounts', 'security', 'audit']);
    expect(ROLES.filter(isAdminRole)).toEqual(['sysadmin', 'secadmin', 'auditor']);
  });
});

describe('安全策略 (domain/securityPolicy)', () => {
  const valid = {
    passwordMinLength: '10',
    passwordMaxAgeDays: '0',
    passwordHistory: '5',
    lockMaxFailures: '5',
    lockMinutes: '15',
    idleMinutes: '30',
    regulatorSecondFactor: 'on',
  };
  it('parses a valid form', () => {
    expect(validateSecurityPolicy(valid).data).toEqual({
      passwordMinLength: 10,
      passwordMaxAgeDays: 0,
      passwordHistory: 5,
      lockMaxFailures: 5,
      lockMinutes: 15,
      idleMinutes: 30,
      regulatorSecondFactor: true,
    });
  });
  it('names every broken field at once', () => {
    const r = validateSecurityPolicy({
      ...valid,
      passwordHistory: '-1',
      lockMinutes: '1.5',
      regulatorSecondFactor: 'yes',
    });
    expect(Object.keys(r.errors).sort()).toEqual(['lockMinutes', 'passwordHistory', 'regulatorSecondFactor']);
  });
  it('fills settings a stored policy lacks from the defaults', () => {
    const d = defaultSecurityPolicy({ lockMaxFailures: 5, lockMinutes: 15, idleMinutes: 30 });
    expect(withDefaults({ idleMinutes: 10 }, d)).toEqual({ ...d, idleMinutes: 10 });
    expect(withDefaults(null, d)).toEqual(d);
  });
});
