import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { CHAIN, createAdmin, createEnterprise, createRegulator, PASSWORD } from '../support/fixtures';
import { authenticatorOf, totpCode, type TestAuthenticator } from '../support/secondFactor';
import { policyFormValues } from '../../src/domain/securityPolicy';
import { cliActor, type AuditEventType, type AuditRow } from '../../src/domain/audit';

// 双因素 (issue 13 item 3): enrolment at first login, the second step of every login of an
// enrolled account, no replay, recovery codes once, the lock-out, the 安全策略 switch for
// regulators, and the 系统管理员's reset. The clock is injected: no test waits.

let clock: Date;
let t: TestApp;
beforeEach(async () => {
  clock = new Date('2026-12-04T02:00:00Z');
  t = await startTestApp({}, { now: () => clock });
});
afterEach(async () => t.close());

const later = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));

const rowsOf = (type: AuditEventType): Promise<AuditRow[]> =>
  t.knex('audit_log').where({ event_type: type }).orderBy('seq');

/** The password step only: the answer is the redirect to the second step (or not). */
async function passwordStep(username: string, password = PASSWORD): Promise<Visitor> {
  const v = new Visitor(t.app);
  await v.agent.get('/captcha');
  const res = await v.post('/login', { username, password, captcha: t.config.captchaFixed! }, '/login');
  expect(res.status).toBe(302);
  return v;
}

const secondStep = (v: Visitor, code: string) => v.post('/login/second-factor', { code });

function appOf(username: string): TestAuthenticator {
  const app = authenticatorOf(username);
  if (!app) throw new Error(`${username} has no test authenticator`);
  return app;
}

const secretOnPage = (html: string): string => {
  const m = html.match(/class="mono secret-text">([A-Z2-7 ]+)</);
  if (!m) throw new Error('no secret on the enrolment page');
  return m[1];
};

describe('enrolment at first login', () => {
  it('sends an administrator without a second factor to enrol before anything else', async () => {
    const admin = await createAdmin(t, 'sysadmin', { secondFactor: false });
    const v = new Visitor(t.app);
    expect((await v.login(admin.username, PASSWORD)).headers.location).toBe('/');
    expect((await v.get('/admin/users')).headers.location).toBe('/account/second-factor');
    expect((await v.get('/account')).headers.location).toBe('/account/second-factor');

    const page = await v.get('/account/second-factor');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<div class="qr-code" role="img"[^>]*><svg [^>]*viewBox/);
    expect(page.text).toContain('<dd>非煤矿山普查</dd>');
    expect(page.text).toContain(`<dd class="mono">${admin.username}</dd>`);
    const secret = secretOnPage(page.text);
    expect(secret).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    // A reload shows the same secret (the QR code already scanned stays valid).
    expect(secretOnPage((await v.get('/account/second-factor')).text)).toBe(secret);
    // Stored encrypted: the secret is nowhere in its row.
    const [row] = await t.knex('second_factors').where({ user_id: admin.id });
    expect(row.secret_encrypted).toMatch(/^v1:/);
    expect(row.secret_encrypted).not.toContain(secret.replace(/ /g, ''));

    // A code of another time (five minutes off) is refused; nothing is enabled or recorded.
    const wrong = await v.post('/account/second-factor', {
      code: totpCode(secret, new Date(clock.getTime() + 300_000)),
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('动态验证码不正确');
    expect((await v.get('/admin/users')).headers.location).toBe('/account/second-factor');
    expect(await rowsOf('second_factor.enrol')).toEqual([]);

    const right = await v.post('/account/second-factor', { code: totpCode(secret, clock) });
    expect(right.status).toBe(200);
    expect(right.headers['cache-control']).toBe('no-store');
    expect(right.text).toContain('以下恢复码只显示这一次');
    const codes = [
      ...right.text.matchAll(/<li><code class="mono">([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g),
    ].map((m) => m[1]);
    expect(codes).toHaveLength(8);
    expect(new Set(codes).size).toBe(8);
    const [enrol] = await rowsOf('second_factor.enrol');
    expect(await rowsOf('second_factor.enrol')).toHaveLength(1);
    expect(enrol).toMatchObject({
      actor_user_id: admin.id,
      actor_username: admin.username,
      actor_role: 'sysadmin',
      result: 'success',
      detail: { method: 'totp', recovery_codes: 8 },
    });
    // The codes are kept as hashes only, and never shown again.
    const stored = await t.knex('recovery_codes').where({ user_id: admin.id }).select('code_hash');
    expect(stored).toHaveLength(8);
    expect(stored.map((r) => r.code_hash)).not.toContain(codes[0].replace('-', ''));
    const again = await v.get('/account/second-factor');
    expect(again.headers.location).toBe('/account');
    const account = (await v.get('/account')).text;
    expect(account).toContain('已绑定');
    expect(account).not.toContain(codes[0]);
    expect((await v.get('/admin/users')).status).toBe(200);
  });

  it('asks a regulator only when 安全策略 says so; an enterprise may choose to', async () => {
    const secadmin = await createAdmin(t, 'secadmin');
    const r = await createRegulator(t, CHAIN.county);
    const e = await createEnterprise(t);
    const reg = new Visitor(t.app);
    await reg.login(r.username, PASSWORD);
    expect((await reg.get('/review')).status).toBe(200);

    const policy = policyFormValues(await t.services.securityPolicy.current());
    await t.services.securityPolicy.save(secadmin.id, null, { ...policy, regulatorSecondFactor: 'on' });
    expect((await reg.get('/review')).headers.location).toBe('/account/second-factor');
    const ent = new Visitor(t.app);
    await ent.login(e.username, PASSWORD);
    expect((await ent.get('/enterprise')).status).toBe(200);
    const account = (await ent.get('/account')).text;
    expect(account).toContain('<a href="/account/second-factor">绑定双因素认证</a>');
    expect((await ent.get('/account/second-factor')).text).toContain('第一步：用身份验证器扫描二维码');

    await t.services.securityPolicy.save(secadmin.id, null, { ...policy, regulatorSecondFactor: '' });
    expect((await reg.get('/review')).status).toBe(200);
  });
});

describe('the second step of a login', () => {
  it('is required of an enrolled administrator: the password alone reaches nothing', async () => {
    const admin = await createAdmin(t, 'sysadmin');
    const v = await passwordStep(admin.username);
    for (const page of ['/admin/users', '/', '/account', '/audit'])
      expect((await v.get(page)).headers.location).toBe('/login/second-factor');
    expect((await v.post('/logout', {}, '/login/second-factor')).headers.location).toBe('/login');
    expect(await rowsOf('login.success')).toEqual([]);

    const w = await passwordStep(admin.username);
    const page = await w.get('/login/second-factor');
    expect(page.text).toContain('<label for="code">动态验证码或恢复码</label>');
    later(30); // the enrolment used the code of the step before
    const done = await secondStep(w, totpCode(appOf(admin.username).secret, clock));
    expect(done.headers.location).toBe('/');
    expect((await w.get('/admin/users')).status).toBe(200);
    const success = await rowsOf('login.success');
    expect(success).toHaveLength(1);
    expect(success[0]).toMatchObject({ actor_user_id: admin.id, detail: { second_factor: 'totp' } });
    expect(await rowsOf('second_factor.failure')).toEqual([]);
  });

  it('refuses a wrong code in Chinese and records exactly one second_factor.failure', async () => {
    const admin = await createAdmin(t, 'auditor');
    const v = await passwordStep(admin.username);
    const wrong = await secondStep(
      v,
      totpCode(appOf(admin.username).secret, new Date(clock.getTime() - 600_000)),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('动态验证码或恢复码错误');
    const rows = await rowsOf('second_factor.failure');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_user_id: admin.id,
      actor_username: admin.username,
      actor_role: 'auditor',
      address: expect.stringMatching(/127\.0\.0\.1/),
      object: admin.username,
      result: 'failure',
      reason: '动态验证码错误',
    });
    expect(await rowsOf('login.success')).toEqual([]);
    expect((await v.get('/audit')).headers.location).toBe('/login/second-factor');
    // An empty answer is asked again, not counted.
    expect((await secondStep(v, '')).text).toContain('请输入动态验证码或恢复码');
    expect(await rowsOf('second_factor.failure')).toHaveLength(1);
  });

  it('refuses a code of a time step already used (no replay)', async () => {
    const admin = await createAdmin(t, 'sysadmin');
    later(30);
    const code = totpCode(appOf(admin.username).secret, clock);
    const first = await passwordStep(admin.username);
    expect((await secondStep(first, code)).headers.location).toBe('/');
    const second = await passwordStep(admin.username);
    const replay = await secondStep(second, code);
    expect(replay.status).toBe(401);
    expect((await rowsOf('second_factor.failure')).map((r) => r.reason)).toEqual(['动态验证码已使用过']);
    // The next step's code is a new one.
    later(30);
    expect((await secondStep(second, totpCode(appOf(admin.username).secret, clock))).headers.location).toBe(
      '/',
    );
  });

  it('takes a recovery code exactly once, and records the method', async () => {
    const admin = await createAdmin(t, 'secadmin');
    const [code] = appOf(admin.username).recoveryCodes;
    const v = await passwordStep(admin.username);
    expect((await secondStep(v, code.toUpperCase())).headers.location).toBe('/');
    expect((await v.get('/admin/security')).text).toContain('还剩 7 个未使用的恢复码');
    expect((await rowsOf('login.success'))[0].detail).toEqual({ second_factor: 'recovery_code' });
    const w = await passwordStep(admin.username);
    expect((await secondStep(w, code)).status).toBe(401);
    expect((await rowsOf('second_factor.failure')).map((r) => r.reason)).toEqual(['恢复码错误或已使用']);
    expect(await rowsOf('login.success')).toHaveLength(1);
  });

  it('counts wrong codes with the wrong passwords: the username pauses, a right password buys no more guesses', async () => {
    const admin = await createAdmin(t, 'sysadmin');
    const { lockMaxFailures: maxFailures } = await t.services.securityPolicy.current();
    const wrongCode = totpCode(appOf(admin.username).secret, new Date(clock.getTime() + 3600_000));
    let v = await passwordStep(admin.username);
    for (let i = 0; i < maxFailures - 1; i++) {
      // Each wrong code after a fresh right password: the count goes on.
      if (i % 2 === 1) v = await passwordStep(admin.username);
      expect((await secondStep(v, wrongCode)).status).toBe(401);
    }
    const last = await secondStep(v, wrongCode);
    expect(last.text).toContain('用户登录'); // back at the password
    expect(await rowsOf('account.lock')).toHaveLength(1);
    expect((await rowsOf('account.lock'))[0].reason).toContain('密码或动态验证码');
    expect(await rowsOf('second_factor.failure')).toHaveLength(maxFailures);
    // Paused: even the right password and code do not sign in.
    const again = new Visitor(t.app);
    expect((await again.login(admin.username, PASSWORD)).status).toBe(401);
  });

  it('is over after five minutes: the login starts again at the password', async () => {
    const admin = await createAdmin(t, 'sysadmin');
    const v = await passwordStep(admin.username);
    later(301);
    const res = await secondStep(v, totpCode(appOf(admin.username).secret, clock));
    expect(res.status).toBe(401);
    expect(res.text).toContain('验证已超过 5 分钟，请重新登录');
    expect((await v.get('/login/second-factor')).headers.location).toBe('/login');
    expect(await rowsOf('login.success')).toEqual([]);
  });
});

describe('重置双因素', () => {
  it('is the 系统管理员’s: the account enrols again at its next login, recorded', async () => {
    const sysadmin = await createAdmin(t, 'sysadmin');
    const auditor = await createAdmin(t, 'auditor');
    const admin = new Visitor(t.app);
    await admin.login(sysadmin.username, PASSWORD);
    const user = new Visitor(t.app);
    await user.login(auditor.username, PASSWORD);
    expect((await user.get('/audit')).status).toBe(200);

    const list = (await admin.get('/admin/users')).text;
    expect(list).toContain(`action="/admin/users/${auditor.id}/reset-second-factor"`);
    expect(list).toContain('data-confirm="重置 auditor 的双因素认证？');
    // CSRF stays on.
    const noToken = await admin.postWithToken(
      `/admin/users/${auditor.id}/reset-second-factor`,
      {},
      undefined,
    );
    expect(noToken.status).toBe(403);
    const res = await admin.post(`/admin/users/${auditor.id}/reset-second-factor`, {}, '/admin/users');
    expect(res.headers.location).toBe('/admin/users');
    expect((await admin.get('/admin/users')).text).toContain('已重置账号 auditor 的双因素认证');
    const rows = await rowsOf('second_factor.reset');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_user_id: sysadmin.id,
      actor_role: 'sysadmin',
      object: auditor.username,
      result: 'success',
      detail: { via: 'page', user_id: auditor.id },
    });
    expect(await t.knex('second_factors').where({ user_id: auditor.id })).toEqual([]);
    expect(await t.knex('recovery_codes').where({ user_id: auditor.id })).toEqual([]);
    // Signed out everywhere; the next login has no second step and goes to enrol first.
    expect((await user.get('/audit')).headers.location).toBe('/login');
    const next = new Visitor(t.app);
    expect((await next.login(auditor.username, PASSWORD)).headers.location).toBe('/');
    expect((await next.get('/audit')).headers.location).toBe('/account/second-factor');
    // Nothing left to reset: refused, nothing recorded.
    expect(
      (await admin.post(`/admin/users/${auditor.id}/reset-second-factor`, {}, '/admin/users')).status,
    ).toBe(409);
    expect(await rowsOf('second_factor.reset')).toHaveLength(1);
  });

  it('is also `npm run accounts:reset -- --second-factor`: the way out for the only 系统管理员', async () => {
    const sysadmin = await createAdmin(t, 'sysadmin');
    const v = new Visitor(t.app);
    await v.login(sysadmin.username, PASSWORD);
    await t.services.issuance.resetSecondFactor(sysadmin.username, cliActor('operator'));
    expect(await rowsOf('second_factor.reset')).toMatchObject([
      { actor_user_id: null, actor_username: 'cli:operator', address: null, object: sysadmin.username },
    ]);
    expect((await rowsOf('second_factor.reset'))[0].detail).toEqual({ via: 'cli', user_id: sysadmin.id });
    expect((await v.get('/admin/users')).headers.location).toBe('/login');
    // The password still works; the second factor is enrolled again first.
    const next = new Visitor(t.app);
    await next.login(sysadmin.username, PASSWORD);
    expect((await next.get('/admin/users')).headers.location).toBe('/account/second-factor');
    await expect(t.services.issuance.resetSecondFactor('no_such_user', cliActor('operator'))).rejects.toThrow(
      '没有用户名为 no_such_user 的账号',
    );
  });

  it('is a 404 for everyone else', async () => {
    const target = await createAdmin(t, 'auditor');
    await createAdmin(t, 'sysadmin');
    const others = [
      await createAdmin(t, 'secadmin'),
      await createRegulator(t, CHAIN.national),
      await createEnterprise(t),
    ];
    for (const other of others) {
      const v = new Visitor(t.app);
      await v.login(other.username, PASSWORD);
      const res = await v.post(`/admin/users/${target.id}/reset-second-factor`, {}, '/account');
      expect([other.username, res.status]).toEqual([other.username, 404]);
    }
    expect(await rowsOf('second_factor.reset')).toEqual([]);
    expect(await t.knex('second_factors').where({ user_id: target.id })).toHaveLength(1);
  });
});
