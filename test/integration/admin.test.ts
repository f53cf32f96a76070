import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor } from '../support/browser';
import {
  CHAIN,
  createAdmin,
  createEnterprise,
  createRegulator,
  lockAccount,
  PASSWORD,
} from '../support/fixtures';

// 账号管理: the 系统管理员 finds accounts and resets a forgotten password; the 安全管理员 unlocks.
let t: TestApp;
let admin: Visitor;
let adminId: number;
let secadmin: Visitor;

beforeAll(async () => {
  t = await startTestApp();
  adminId = (await createAdmin(t, 'sysadmin', { username: 'admin' })).id;
  admin = new Visitor(t.app);
  expect((await admin.login('admin', PASSWORD)).status).toBe(302);
  await createAdmin(t, 'secadmin');
  secadmin = new Visitor(t.app);
  expect((await secadmin.login('secadmin', PASSWORD)).status).toBe(302);
});
afterAll(async () => t.close());

/** The row of a username in the account list, or null. */
const rowOf = (html: string, username: string): string | null =>
  html.split('<tr>').find((r) => r.includes(`<td class="mono">${username}</td>`)) ?? null;

describe('账号管理', () => {
  it('is the admin home, lists accounts with their agency or enterprise, and filters them', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const ent = await createEnterprise(t, { name: '西湖账号测试矿业有限公司' });
    expect((await admin.get('/')).headers.location).toBe('/admin/users');
    const all = (await admin.get('/admin/users')).text;
    expect(all).toContain('<h1>账号管理</h1>');
    expect(rowOf(all, reg.username)).toContain('西湖区安全生产监督管理局');
    expect(rowOf(all, ent.username)).toContain('西湖账号测试矿业有限公司');
    expect(rowOf(all, 'admin')).toContain('修改本人密码');

    const regulators = (await admin.get('/admin/users?role=regulator')).text;
    expect(rowOf(regulators, reg.username)).not.toBeNull();
    expect(rowOf(regulators, ent.username)).toBeNull();
    const byAgency = (await admin.get(`/admin/users?q=${encodeURIComponent('西湖区安全')}`)).text;
    expect(rowOf(byAgency, reg.username)).not.toBeNull();
    expect(rowOf(byAgency, ent.username)).toBeNull();
    expect((await admin.get('/admin/users?q=nobody-at-all')).text).toContain('没有符合条件的账号');
    const king = await admin.get('/admin/users?role=king');
    expect(king.status).toBe(400);
    expect(king.text).toContain('查询条件“角色”的取值无法识别，已忽略该条件');
    expect(rowOf(king.text, reg.username)).not.toBeNull();
  });

  it('resets a forgotten password: shown once, the old one and its sessions gone, a change forced', async () => {
    const reg = await createRegulator(t, '330105');
    const user = new Visitor(t.app);
    await user.login(reg.username, PASSWORD);
    expect((await user.get('/review')).status).toBe(200);

    const list = (await admin.get('/admin/users')).text;
    const res = await admin.postWithToken(`/admin/users/${reg.id}/reset-password`, {}, csrfFrom(list));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const password = /<p class="new-password mono">([^<]+)<\/p>/.exec(res.text)?.[1];
    expect(password).toMatch(/^\S{8,}$/);

    expect((await user.get('/review')).headers.location).toBe('/login');
    expect((await new Visitor(t.app).login(reg.username, PASSWORD)).status).toBe(401);
    const again = await new Visitor(t.app).login(reg.username, password!);
    expect(again.headers.location).toBe('/account/password');
  });

  it('shows a lock-out to both, and the 安全管理员 (not the 系统管理员) lifts it early', async () => {
    const reg = await createRegulator(t, '330108');
    await lockAccount(t, reg.username);
    const list = (await admin.get('/admin/users')).text;
    expect(rowOf(list, reg.username)).toContain('已锁定');
    expect(rowOf(list, reg.username)).not.toContain('解除锁定');
    const locks = (await secadmin.get('/admin/security/accounts')).text;
    expect(locks).toContain('<h1>账号解锁</h1>');
    expect(rowOf(locks, reg.username)).toContain('解除锁定');
    expect(rowOf(locks, reg.username)).not.toContain('重置密码');
    const unlock = `/admin/security/accounts/${reg.id}/unlock`;
    expect((await admin.postWithToken(unlock, {}, csrfFrom(list))).status).toBe(404);
    const res = await secadmin.postWithToken(unlock, {}, csrfFrom(locks));
    expect(res.headers.location).toBe('/admin/security/accounts');
    expect((await secadmin.get('/admin/security/accounts')).text).toContain(
      `已解除账号 ${reg.username} 的锁定。`,
    );
    expect((await new Visitor(t.app).login(reg.username, PASSWORD)).status).toBe(302);
  });

  it('comes back to the list as it was searched after an unlock or a reset', async () => {
    const reg = await createRegulator(t, '330109');
    await lockAccount(t, reg.username);
    const query = `role=regulator&q=${reg.username}`;
    const backOf = (html: string) => /name="back" value="([^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    const locks = (await secadmin.get(`/admin/security/accounts?${query}`)).text;
    expect(backOf(locks)).toBe(query);
    const unlock = `/admin/security/accounts/${reg.id}/unlock`;
    const unlocked = await secadmin.postWithToken(unlock, { back: backOf(locks) }, csrfFrom(locks));
    expect(unlocked.headers.location).toBe(`/admin/security/accounts?${query}`);
    const list = (await admin.get(`/admin/users?${query}`)).text;
    expect(backOf(list)).toBe(query);
    const reset = await admin.postWithToken(
      `/admin/users/${reg.id}/reset-password`,
      { back: backOf(list) },
      csrfFrom(list),
    );
    expect(reset.text).toContain(`href="/admin/users?role=regulator&amp;q=${reg.username}">返回账号管理`);
    // A forged back link is rebuilt from what it parses to: never a redirect elsewhere.
    const forged = await secadmin.postWithToken(unlock, { back: '//evil.example/' }, csrfFrom(locks));
    expect(forged.headers.location).toBe('/admin/security/accounts');
  });

  it('refuses its own account, unknown ids, a missing CSRF token, and every other role (404)', async () => {
    const list = (await admin.get('/admin/users')).text;
    const token = csrfFrom(list);
    expect((await admin.postWithToken(`/admin/users/${adminId}/reset-password`, {}, token)).status).toBe(400);
    expect((await admin.postWithToken('/admin/users/999999/reset-password', {}, token)).status).toBe(404);
    expect((await admin.postWithToken('/admin/users/abc/reset-password', {}, token)).status).toBe(404);
    expect((await admin.postWithToken(`/admin/users/${adminId}/reset-password`, {}, undefined)).status).toBe(
      403,
    );
    const locks = csrfFrom((await secadmin.get('/admin/security/accounts')).text);
    expect((await secadmin.postWithToken('/admin/security/accounts/999999/unlock', {}, locks)).status).toBe(
      404,
    );

    const reg = await createRegulator(t, '330102');
    const regulator = new Visitor(t.app);
    await regulator.login(reg.username, PASSWORD);
    expect((await regulator.get('/admin/users')).status).toBe(404);
    const page = (await regulator.get('/account')).text;
    expect(
      (await regulator.postWithToken(`/admin/users/${adminId}/reset-password`, {}, csrfFrom(page))).status,
    ).toBe(404);
    const ent = await createEnterprise(t, {});
    const enterprise = new Visitor(t.app);
    await enterprise.login(ent.username, PASSWORD);
    expect((await enterprise.get('/admin/users')).status).toBe(404);
  });
});

describe('签发监管部门账号 (系统管理员)', () => {
  it("issues a region's accounts as a CSV sent once (no-store), skips them the second time", async () => {
    const form = (await admin.get('/admin/users/issue')).text;
    expect(form).toContain('<h1>签发监管部门账号</h1>');
    const res = await admin.postWithToken(
      '/admin/users/issue',
      { region: '330200', level: 'city' },
      csrfFrom(form),
    );
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe('agency_code,agency_name,level,username,initial_password');
    expect(lines).toHaveLength(2); // 宁波市 alone at city level
    const [, , , username, password] = lines[1].split(',');
    expect(username).toBe('aj330200');
    expect((await new Visitor(t.app).login(username, password)).headers.location).toBe('/account/password');
    const again = await admin.postWithToken(
      '/admin/users/issue',
      { region: '330200', level: 'city' },
      csrfFrom(form),
    );
    expect(
      again.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r\n/),
    ).toHaveLength(1);
  });

  it('reports every error at once and keeps what was typed', async () => {
    const form = (await admin.get('/admin/users/issue')).text;
    const bad = await admin.postWithToken(
      '/admin/users/issue',
      { region: '33/01', level: 'village' },
      csrfFrom(form),
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('地区或单位代码只能包含数字、字母和“-”');
    expect(bad.text).toContain('请从列表中选择层级');
    expect(bad.text).toContain('value="33/01"');
    const unknown = await admin.postWithToken(
      '/admin/users/issue',
      { region: '999999', level: '' },
      csrfFrom(form),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('未找到地区或单位代码 999999');
  });
});
