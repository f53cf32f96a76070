import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor } from '../support/browser';
import { CHAIN, createEnterprise, createRegulator, lockAccount, PASSWORD } from '../support/fixtures';
import { usersRepo } from '../../src/data/users';

// 账号管理: the national centre's admin finds accounts, resets a forgotten password, unlocks.
let t: TestApp;
let admin: Visitor;
let adminId: number;

beforeAll(async () => {
  t = await startTestApp();
  const hash = await t.services.hasher.hash(PASSWORD);
  adminId = await usersRepo(t.services.knex).insert({
    username: 'admin',
    password_hash: hash,
    role: 'admin',
    name: '系统管理员',
    must_change_password: false,
  });
  admin = new Visitor(t.app);
  expect((await admin.login('admin', PASSWORD)).status).toBe(302);
});
afterAll(async () => t.close());

/** The row of a username in the account list, or null. */
const rowOf = (html: string, username: string): string | null =>
  html.split('<tr>').find((r) => r.includes(`<td class="mono">${username}</td>`)) ?? null;

describe('账号管理', () => {
  it('is the admin home, lists accounts with their agency or enterprise, and filters them', async () => {
    const reg = await createRegulator(t.services, CHAIN.county);
    const ent = await createEnterprise(t.services, { name: '西湖账号测试矿业有限公司' });
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
    expect((await admin.get('/admin/users?role=king')).status).toBe(400);
  });

  it('resets a forgotten password: shown once, the old one and its sessions gone, a change forced', async () => {
    const reg = await createRegulator(t.services, '330105');
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

  it('lifts a lock-out early', async () => {
    const reg = await createRegulator(t.services, '330108');
    await lockAccount(t, reg.username);
    const list = (await admin.get('/admin/users')).text;
    expect(rowOf(list, reg.username)).toContain('已锁定');
    const res = await admin.postWithToken(`/admin/users/${reg.id}/unlock`, {}, csrfFrom(list));
    expect(res.headers.location).toBe('/admin/users');
    expect((await admin.get('/admin/users')).text).toContain(`已解除账号 ${reg.username} 的锁定。`);
    expect((await new Visitor(t.app).login(reg.username, PASSWORD)).status).toBe(302);
  });

  it('comes back to the list as it was searched after an unlock or a reset', async () => {
    const reg = await createRegulator(t.services, '330109');
    await lockAccount(t, reg.username);
    const searched = `/admin/users?role=regulator&q=${reg.username}`;
    const list = (await admin.get(searched)).text;
    const back = /name="back" value="([^"]*)"/.exec(list)?.[1]?.replace(/&amp;/g, '&');
    expect(back).toBe(`role=regulator&q=${reg.username}`);
    const unlocked = await admin.postWithToken(`/admin/users/${reg.id}/unlock`, { back }, csrfFrom(list));
    expect(unlocked.headers.location).toBe(searched);
    const reset = await admin.postWithToken(
      `/admin/users/${reg.id}/reset-password`,
      { back },
      csrfFrom(list),
    );
    expect(reset.text).toContain(`href="/admin/users?role=regulator&amp;q=${reg.username}">返回账号管理`);
    // A forged back link is rebuilt from what it parses to: never a redirect elsewhere.
    const forged = await admin.postWithToken(
      `/admin/users/${reg.id}/unlock`,
      { back: '//evil.example/' },
      csrfFrom(list),
    );
    expect(forged.headers.location).toBe('/admin/users');
  });

  it('refuses its own account, unknown ids, a missing CSRF token, and every other role (404)', async () => {
    const list = (await admin.get('/admin/users')).text;
    const token = csrfFrom(list);
    expect((await admin.postWithToken(`/admin/users/${adminId}/reset-password`, {}, token)).status).toBe(400);
    expect((await admin.postWithToken('/admin/users/999999/unlock', {}, token)).status).toBe(404);
    expect((await admin.postWithToken('/admin/users/abc/unlock', {}, token)).status).toBe(404);
    expect((await admin.postWithToken(`/admin/users/${adminId}/unlock`, {}, undefined)).status).toBe(403);

    const reg = await createRegulator(t.services, '330102');
    const regulator = new Visitor(t.app);
    await regulator.login(reg.username, PASSWORD);
    expect((await regulator.get('/admin/users')).status).toBe(404);
    const page = (await regulator.get('/account')).text;
    expect(
      (await regulator.postWithToken(`/admin/users/${adminId}/reset-password`, {}, csrfFrom(page))).status,
    ).toBe(404);
    const ent = await createEnterprise(t.services, {});
    const enterprise = new Visitor(t.app);
    await enterprise.login(ent.username, PASSWORD);
    expect((await enterprise.get('/admin/users')).status).toBe(404);
  });
});
