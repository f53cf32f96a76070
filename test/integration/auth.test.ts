import { startTestApp, TEST_CAPTCHA, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { CHAIN, createRegulator, PASSWORD } from '../support/fixtures';
import request from 'supertest';
import { usersRepo } from '../../src/data/users';

let t: TestApp;

beforeEach(async () => {
  t = await startTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15' });
});
afterEach(async () => t.close());

describe('login', () => {
  it('shows the login page with a captcha image', async () => {
    const v = new Visitor(t.app);
    const page = await v.get('/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1 id="login-title">用户登录</h1>');
    expect(page.text).toContain('name="captcha"');
    const img = await v.get('/captcha');
    expect(img.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(img.body)).toMatch(/^<svg/);
  });

  it('logs a regulator in and lands on the pending list', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    const res = await v.login(reg.username, PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const home = await v.get('/');
    expect(home.headers.location).toBe('/review');
    const review = await v.get('/review');
    expect(review.status).toBe(200);
    expect(review.text).toContain('西湖区安全生产监督管理局');
    expect(review.text).toContain('<h1>待审核</h1>');
  });

  it('refuses a wrong captcha, and the captcha is single use', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    const wrong = await v.login(reg.username, PASSWORD, 'zzzz');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('验证码错误');
    // Without fetching a new captcha image, even the right answer no longer works.
    const replay = await v.post('/login', {
      username: reg.username,
      password: PASSWORD,
      captcha: TEST_CAPTCHA,
    });
    expect(replay.status).toBe(401);
    expect(replay.text).toContain('验证码错误');
  });

  it('says which fields an empty or half-filled login form is missing, all at once', async () => {
    const v = new Visitor(t.app);
    const empty = await v.login('', '', '');
    expect(empty.status).toBe(401);
    expect(empty.text).toContain('请输入用户名、密码、验证码');
    expect(empty.text).not.toContain('验证码错误');
    expect(empty.text.match(/aria-invalid="true"/g)).toHaveLength(3);
    const noPassword = await v.login('someone', '', TEST_CAPTCHA);
    expect(noPassword.text).toContain('请输入密码');
    expect(noPassword.text).toContain('value="someone"');
  });

  it('gives one neutral message for a wrong password and for an unknown user', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    const wrongPassword = await v.login(reg.username, 'Wrong12345');
    const unknownUser = await v.login('nobody_here', PASSWORD);
    for (const res of [wrongPassword, unknownUser]) {
      expect(res.status).toBe(401);
      expect(res.text).toContain('用户名或密码错误（同一用户名连续输错 3 次后须等待 15 分钟再试）');
    }
    // Lock-out, the address limits and their tests: loginThrottle.test.ts.
    expect(wrongPassword.text).toContain(`value="${reg.username}"`); // typed username kept
  });

  it('regenerates the session at login and destroys it at logout', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    const before = await v.get('/login');
    const sidBefore = String(before.headers['set-cookie']).match(/fkm\.sid=([^;]+)/)?.[1];
    const login = await v.login(reg.username, PASSWORD);
    const sidAfter = String(login.headers['set-cookie']).match(/fkm\.sid=([^;]+)/)?.[1];
    expect(sidAfter).toBeTruthy();
    expect(sidAfter).not.toBe(sidBefore);
    expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(login.headers['set-cookie'])).toMatch(/SameSite=Lax/i);
    const out = await v.post('/logout', {}, '/review');
    expect(out.headers.location).toBe('/login');
    const after = await v.get('/review');
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/login');
  });

  it('keeps the session across an app restart (sessions live in PostgreSQL)', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const login = await new Visitor(t.app).login(reg.username, PASSWORD);
    const cookie = String(login.headers['set-cookie']).match(/fkm\.sid=[^;]+/)?.[0];
    expect(cookie).toBeTruthy();
    // Restart: close the app's pools, start a brand-new app on new connections, same cookie.
    await t.close();
    t = await startTestApp({}, { reset: false });
    const page = await request(t.app).get('/review').set('Cookie', String(cookie));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>待审核</h1>');
  });
});

describe('idle expiry', () => {
  it('ends a session whose idle time ran out', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    await v.login(reg.username, PASSWORD);
    expect((await v.get('/review')).status).toBe(200);
    // As if the user had been away longer than SESSION_IDLE_MINUTES.
    await t.knex('session').update({ expire: t.knex.raw("now() - interval '1 minute'") });
    const after = await v.get('/review');
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/login');
  });
});

describe('CSRF', () => {
  it('refuses a POST without the token with 403 and changes nothing', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    await v.login(reg.username, PASSWORD);
    const res = await v.postWithToken('/account', { name: '张三', email: 'a@b.cn' }, undefined);
    expect(res.status).toBe(403);
    expect(res.text).toContain('页面已过期');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const user = await usersRepo(t.knex).byId(reg.id);
    expect(user?.name).toBe(`${reg.agency.name}审核员`);
    expect(user?.email).toBeNull();
  });
});

describe('first login', () => {
  it('forces a password change before any other page, then lets the user in', async () => {
    const reg = await createRegulator(t, CHAIN.national, {
      mustChange: true,
      password: 'Initial2026x',
    });
    const v = new Visitor(t.app);
    const login = await v.login(reg.username, 'Initial2026x');
    expect(login.headers.location).toBe('/account/password');
    for (const url of ['/', '/review', '/account']) {
      const r = await v.get(url);
      expect(r.status).toBe(302);
      expect(r.headers.location).toBe('/account/password');
    }
    const page = await v.get('/account/password');
    expect(page.text).toContain('请先修改密码');
    expect(page.text).toContain('密码至少 8 位，须同时包含字母和数字');

    const same = await v.post('/account/password', {
      old_password: 'Initial2026x',
      new_password: 'Initial2026x',
      new_password_confirm: 'Initial2026x',
    });
    expect(same.status).toBe(422);
    expect(same.text).toContain('新密码不能与原密码相同');
    const weak = await v.post('/account/password', {
      old_password: 'Initial2026x',
      new_password: 'abcdefgh',
      new_password_confirm: 'abcdefgh',
    });
    expect(weak.text).toContain('密码须同时包含字母和数字');
    const asUsername = await v.post('/account/password', {
      old_password: 'Initial2026x',
      new_password: reg.username,
      new_password_confirm: reg.username,
    });
    expect(asUsername.status).toBe(422);

    const ok = await v.post('/account/password', {
      old_password: 'Initial2026x',
      new_password: 'Changed2026y',
      new_password_confirm: 'Changed2026y',
    });
    expect(ok.status).toBe(302);
    expect((await v.get('/review')).status).toBe(200);

    const fresh = new Visitor(t.app);
    expect((await fresh.login(reg.username, 'Initial2026x')).status).toBe(401);
    expect((await fresh.login(reg.username, 'Changed2026y')).headers.location).toBe('/');
  });
});

describe('信息管理', () => {
  it('edits the user info and rejects a bad email beside the field, keeping what was typed', async () => {
    const reg = await createRegulator(t, CHAIN.city);
    const v = new Visitor(t.app);
    await v.login(reg.username, PASSWORD);
    const bad = await v.post('/account', {
      name: '李四',
      position: '科长',
      office_phone: '0571-88886666',
      mobile: '13800138000',
      email: 'not-an-email',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('电子邮箱格式不正确');
    expect(bad.text).toContain('value="李四"');
    expect(bad.text).toContain('value="not-an-email"');
    expect((await usersRepo(t.knex).byId(reg.id))?.name).not.toBe('李四');

    const ok = await v.post('/account', {
      name: '李四',
      position: '科长',
      office_phone: '0571-88886666',
      mobile: '13800138000',
      email: 'lisi@example.cn',
    });
    expect(ok.status).toBe(302);
    const page = await v.get('/account');
    expect(page.text).toContain('用户信息已保存');
    expect(page.text).toContain('value="lisi@example.cn"');
  });

  it('changes the password only with the right old password', async () => {
    const reg = await createRegulator(t, CHAIN.city);
    const v = new Visitor(t.app);
    await v.login(reg.username, PASSWORD);
    const wrongOld = await v.post('/account/password', {
      old_password: 'NotMine123',
      new_password: 'Another2026',
      new_password_confirm: 'Another2026',
    });
    expect(wrongOld.status).toBe(422);
    expect(wrongOld.text).toContain('原密码不正确');
    const mismatch = await v.post('/account/password', {
      old_password: PASSWORD,
      new_password: 'Another2026',
      new_password_confirm: 'Another2027',
    });
    expect(mismatch.text).toContain('两次输入的新密码不一致');
  });
});

describe('errors and health', () => {
  it('answers unknown pages with a Chinese 404 and /healthz with 200', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    await v.login(reg.username, PASSWORD);
    const missing = await v.get('/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('页面不存在');
    const health = await v.get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('sends a strict content security policy', async () => {
    const res = await new Visitor(t.app).get('/login');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
  });
});
