import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor } from '../support/browser';
import { CHAIN, createAdmin, createRegulator, PASSWORD } from '../support/fixtures';

// 安全策略: the 安全管理员's settings, stored with who changed what when, in force at once.
let t: TestApp;
let secadmin: Visitor;

const policy = (over: Record<string, string> = {}) => ({
  passwordMinLength: '8',
  passwordMaxAgeDays: '90',
  passwordHistory: '5',
  lockMaxFailures: String(t.config.login.maxFailures),
  lockMinutes: String(t.config.login.lockMinutes),
  idleMinutes: String(t.config.sessionIdleMinutes),
  regulatorSecondFactor: '',
  ...over,
});

beforeAll(async () => {
  t = await startTestApp();
  await createAdmin(t, 'secadmin');
  secadmin = new Visitor(t.app);
  expect((await secadmin.login('secadmin', PASSWORD)).status).toBe(302);
});
afterEach(async () => {
  await t.knex('security_settings').del();
  await secadmin.post('/admin/security', policy()); // clears this process's cached policy
  await t.knex('security_settings').del();
});
afterAll(async () => t.close());

describe('安全策略', () => {
  it("shows the defaults (the environment's lock-out and idle timeout) before anything is saved", async () => {
    const page = (await secadmin.get('/admin/security')).text;
    expect(page).toContain('<h1>安全策略</h1>');
    expect(page).toContain('name="passwordMaxAgeDays" type="text" value="90"');
    expect(page).toContain('name="passwordHistory" type="text" value="5"');
    expect(page).toContain(`name="lockMaxFailures" type="text" value="${t.config.login.maxFailures}"`);
    expect(page).toContain('尚未修改过');
    // The second factor is in force: the page says who must use it.
    expect(page).toContain('审计管理员始终须使用双因素认证');
    expect(page).not.toContain('尚未启用双因素认证');
  });

  it('saves a change with who and when, and names what changed', async () => {
    const res = await secadmin.post(
      '/admin/security',
      policy({ idleMinutes: '20', regulatorSecondFactor: 'on' }),
    );
    expect(res.headers.location).toBe('/admin/security');
    const page = (await secadmin.get('/admin/security')).text;
    expect(page).toContain('安全策略已保存：会话空闲超时（分钟）、监管部门用户须使用双因素认证已修改。');
    expect(page).toContain('name="idleMinutes" type="text" value="20"');
    expect(page).toMatch(/id="regulatorSecondFactor" name="regulatorSecondFactor" value="on" checked/);
    const rows = await t.knex('security_settings').select('settings', 'changed_by');
    expect(rows).toHaveLength(1);
    expect(rows[0].settings).toMatchObject({ idleMinutes: 20, regulatorSecondFactor: true });
    const [{ id }] = await t.knex('users').where({ username: 'secadmin' }).select('id');
    expect(rows[0].changed_by).toBe(id);
    // One audit row, written with the change.
    const audit = await t.knex('audit_log').where({ event_type: 'security.setting_change' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ result: 'success' });
    expect(audit[0].detail).toMatchObject({
      idleMinutes: { after: 20 },
      regulatorSecondFactor: { after: true },
    });
    // An unchanged save stores nothing, and audits nothing.
    await secadmin.post('/admin/security', policy({ idleMinutes: '20', regulatorSecondFactor: 'on' }));
    expect(await t.knex('security_settings').count({ n: '*' }).first()).toEqual({ n: 1 });
    expect(await t.knex('audit_log').where({ event_type: 'security.setting_change' })).toHaveLength(1);
  });

  it('reports every error at once, in Chinese, keeping what was typed, and saves nothing', async () => {
    const res = await secadmin.post(
      '/admin/security',
      policy({ passwordMinLength: '6', passwordMaxAgeDays: 'abc', lockMaxFailures: '', idleMinutes: '9999' }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('提交的内容有 4 处需要修改');
    expect(res.text).toContain('密码最小长度不能小于 8');
    expect(res.text).toContain('密码有效期（天）应为整数');
    expect(res.text).toContain('请填写连续输错密码次数上限');
    expect(res.text).toContain('会话空闲超时（分钟）不能大于 480');
    expect(res.text).toContain('name="passwordMaxAgeDays" type="text" value="abc"');
    expect(await t.knex('security_settings').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('puts the lock-out threshold and the idle timeout in force at once', async () => {
    await secadmin.post('/admin/security', policy({ lockMaxFailures: '3', idleMinutes: '7' }));
    const reg = await createRegulator(t, CHAIN.city);
    const v = new Visitor(t.app);
    for (let i = 0; i < 3; i++)
      expect((await v.login(reg.username, `Wrong${i}pass`)).text).toContain('连续输错 3 次');
    expect((await v.login(reg.username, PASSWORD)).status).toBe(401); // paused after 3, not 5

    const page = await secadmin.get('/admin/security');
    const cookie = String(page.headers['set-cookie']);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
    expect(expires - Date.now()).toBeLessThanOrEqual(7 * 60_000 + 1000);
    expect(expires - Date.now()).toBeGreaterThan(5 * 60_000);
    expect(csrfFrom(page.text)).toBeTruthy();
  });
});
