import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, TEST_CAPTCHA, type TestApp } from '../support/app';
import { csrfFrom, Visitor, type Form } from '../support/browser';
import {
  actingUser,
  agency,
  CHAIN,
  createAdmin,
  createRegulator,
  lockAccount,
  nextCreditCode,
  PASSWORD,
} from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { exampleEnterpriseData } from '../../src/domain/enterprise';
import { cliActor, type AuditEventType, type AuditRow } from '../../src/domain/audit';
import { issueAccounts } from '../../src/cli/issueAccounts';
import { verifyAuditChain } from '../../src/cli/verifyAudit';

// 安全审计: each security event writes exactly one row, in the transaction of the change it
// records; a refused change (wrong password, CSRF, validation, stale page) writes none.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

const rowsOf = (type: AuditEventType): Promise<AuditRow[]> =>
  t.knex('audit_log').where({ event_type: type }).orderBy('seq');

/** The one row of `type` (a test failure when there are none or several). */
async function oneRow(type: AuditEventType): Promise<AuditRow> {
  const rows = await rowsOf(type);
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function signedIn(username: string, password = PASSWORD): Promise<Visitor> {
  const v = new Visitor(t.app);
  expect((await v.login(username, password)).status).toBe(302);
  return v;
}

const ADDRESS = expect.stringMatching(/127\.0\.0\.1/);

describe('session.expired', () => {
  it('records the idle timeout of a signed-in session once, when its cookie comes back', async () => {
    const r = await createRegulator(t, CHAIN.county);
    const v = await signedIn(r.username);
    // The idle timeout passed (the store's expiry, as if nothing had come for that long).
    await t.knex('session').update({ expire: t.knex.raw(`now() - interval '1 minute'`) });
    expect((await v.get('/review')).headers.location).toBe('/login');
    const row = await oneRow('session.expired');
    expect(row).toMatchObject({
      actor_user_id: r.id,
      actor_username: r.username,
      actor_role: 'regulator',
      address: ADDRESS,
      result: 'success',
      reason: expect.stringMatching(/^空闲超过 \d+ 分钟$/),
      detail: { via: 'request' },
    });
    await v.get('/review');
    expect(await rowsOf('session.expired')).toHaveLength(1);
    expect(await t.knex('session').where('expire', '<', t.knex.fn.now())).toEqual([]);
  });

  it('is recorded by the cleanup job when the cookie never comes back; never for a signed-out one', async () => {
    const r = await createRegulator(t, CHAIN.county);
    await signedIn(r.username);
    await new Visitor(t.app).get('/login'); // a session that never signed in
    await t.knex('session').update({ expire: t.knex.raw(`now() - interval '1 minute'`) });
    const removed = await t.services.session.pruneExpired();
    expect(removed.map((e) => e.userId)).toEqual([r.id]);
    expect(await oneRow('session.expired')).toMatchObject({
      actor_user_id: r.id,
      address: null,
      detail: { via: 'cleanup' },
    });
  });
});

describe('password.change and password.forced_change', () => {
  async function changePassword(v: Visitor, oldPassword: string, newPassword: string, token?: string) {
    const page = await v.get('/account/password');
    return v.postWithToken(
      '/account/password',
      { old_password: oldPassword, new_password: newPassword, new_password_confirm: newPassword },
      token ?? csrfFrom(page.text),
    );
  }

  it('records a change; a wrong current password or a missing CSRF token records nothing', async () => {
    const r = await createRegulator(t, CHAIN.county);
    const v = await signedIn(r.username);
    expect((await changePassword(v, 'NotMine2026x', 'Renewed2026x')).status).toBe(422);
    expect((await changePassword(v, PASSWORD, 'Renewed2026x', '')).status).toBe(403);
    expect(await rowsOf('password.change')).toEqual([]);
    expect((await changePassword(v, PASSWORD, 'Renewed2026x')).status).toBe(302);
    expect(await oneRow('password.change')).toMatchObject({
      actor_user_id: r.id,
      address: ADDRESS,
      object: r.username,
      result: 'success',
      reason: null,
    });
    expect(await rowsOf('password.forced_change')).toEqual([]);
  });

  it('records the forced change at first login and after the maximum age, with why', async () => {
    const fresh = await createRegulator(t, CHAIN.county, { mustChange: true });
    expect((await changePassword(await signedIn(fresh.username), PASSWORD, 'Renewed2026x')).status).toBe(302);
    const old = await createRegulator(t, CHAIN.city);
    // Set 100 days ago (the default maximum age is 90): the login forces the change.
    await t
      .knex('users')
      .where({ id: old.id })
      .update({
        password_changed_at: new Date(Date.now() - 100 * 86_400_000),
      });
    const v = new Visitor(t.app);
    expect((await v.login(old.username, PASSWORD)).headers.location).toBe('/account/password');
    expect((await changePassword(v, PASSWORD, 'Renewed2026y')).status).toBe(302);
    const rows = await rowsOf('password.forced_change');
    expect(rows.map((x) => [x.actor_user_id, x.object, x.reason])).toEqual([
      [fresh.id, fresh.username, '初始密码或重置后的密码须修改'],
      [old.id, old.username, '密码超过最长使用期限'],
    ]);
    expect(await rowsOf('password.change')).toEqual([]);
  });
});

describe('password.reset', () => {
  it('records a reset by the 系统管理员 (none without the CSRF token) and by accounts:reset', async () => {
    const admin = await createAdmin(t, 'sysadmin');
    const r = await createRegulator(t, CHAIN.county);
    const v = await signedIn(admin.username);
    const list = (await v.get('/admin/users')).text;
    expect((await v.postWithToken(`/admin/users/${r.id}/reset-password`, {}, undefined)).status).toBe(403);
    expect(await rowsOf('password.reset')).toEqual([]);
    expect((await v.postWithToken(`/admin/users/${r.id}/reset-password`, {}, csrfFrom(list))).status).toBe(
      200,
    );
    expect(await oneRow('password.reset')).toMatchObject({
      actor_user_id: admin.id,
      actor_role: 'sysadmin',
      address: ADDRESS,
      object: r.username,
      result: 'success',
      detail: { via: 'page', user_id: r.id },
    });
    await t.services.issuance.resetPassword(r.username, cliActor('operator'));
    const [, cli] = await rowsOf('password.reset');
    expect(cli).toMatchObject({
      actor_user_id: null,
      actor_username: 'cli:operator',
      address: null,
      object: r.username,
      detail: { via: 'cli' },
    });
    expect(JSON.stringify(await rowsOf('password.reset'))).not.toMatch(/password":/);
  });
});

describe('account.lock and account.unlock', () => {
  it('records the lock once when the pause begins, and the 安全管理员 unlock', async () => {
    const r = await createRegulator(t, CHAIN.county);
    const secadmin = await createAdmin(t, 'secadmin');
    await lockAccount(t, r.username); // max failures, then the right password refused while paused
    await new Visitor(t.app).login(r.username, 'Wrong2026again');
    const lock = await oneRow('account.lock');
    expect(lock).toMatchObject({
      actor_user_id: r.id,
      address: ADDRESS,
      object: r.username,
      result: 'success',
      reason: `连续输错密码 ${t.config.login.maxFailures} 次，暂停登录 ${t.config.login.lockMinutes} 分钟`,
    });
    const v = await signedIn(secadmin.username);
    const page = (await v.get('/admin/security/accounts')).text;
    const unlock = `/admin/security/accounts/${r.id}/unlock`;
    expect((await v.postWithToken(unlock, {}, undefined)).status).toBe(403);
    expect(await rowsOf('account.unlock')).toEqual([]);
    expect((await v.postWithToken(unlock, {}, csrfFrom(page))).status).toBe(302);
    expect(await oneRow('account.unlock')).toMatchObject({
      actor_user_id: secadmin.id,
      actor_role: 'secadmin',
      address: ADDRESS,
      object: r.username,
      result: 'success',
    });
    expect((await new Visitor(t.app).login(r.username, PASSWORD)).status).toBe(302);
  });
});

describe('account.issue and account.create', () => {
  it('records one row per account issued by accounts:issue and by the page, without a password', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-issue-'));
    const issued = await issueAccounts(t.knex, 4, {
      out: path.join(dir, 'a.csv'),
      region: '330100',
    });
    const rows = await rowsOf('account.issue');
    expect(rows.map((x) => x.object)).toEqual(issued.map((i) => i.username));
    expect(rows[0]).toMatchObject({
      actor_user_id: null,
      actor_username: expect.stringMatching(/^cli:/),
      result: 'success',
      detail: { via: 'cli', role: 'regulator', agency_code: issued[0].agency_code },
    });
    for (const i of issued) expect(JSON.stringify(rows)).not.toContain(i.initial_password);
    // Again: nothing new is issued, nothing recorded.
    await issueAccounts(t.knex, 4, { out: path.join(dir, 'b.csv'), region: '330100' });
    expect(await rowsOf('account.issue')).toHaveLength(issued.length);

    const admin = await createAdmin(t, 'sysadmin');
    const v = await signedIn(admin.username);
    const form = (await v.get('/admin/users/issue')).text;
    expect((await v.postWithToken('/admin/users/issue', { region: 'nowhere' }, csrfFrom(form))).status).toBe(
      422,
    );
    expect(await rowsOf('account.issue')).toHaveLength(issued.length);
    const res = await v.postWithToken(
      '/admin/users/issue',
      { region: '330200', level: 'city' },
      csrfFrom(form),
    );
    expect(res.status).toBe(200);
    const page = (await rowsOf('account.issue')).slice(issued.length);
    expect(page.map((x) => [x.object, x.actor_user_id, x.detail.via])).toEqual([
      ['aj330200', admin.id, 'page'],
    ]);
    expect(res.text).toContain(',aj330200,');
    expect(JSON.stringify(page)).not.toContain(res.text.trim().split(',').at(-1));
  });

  it('records an enterprise registering itself; a refused registration records nothing', async () => {
    const countyId = (await agency(t, CHAIN.county)).id;
    const form = (overrides: Form = {}): Form => ({
      ...exampleEnterpriseData({
        credit_code: nextCreditCode(),
        username: 'selfmade',
        region_code: CHAIN.county,
        supervising_agency_id: String(countyId),
      }),
      captcha: TEST_CAPTCHA,
      ...overrides,
    });
    const v = new Visitor(t.app);
    await v.get('/captcha');
    expect((await v.post('/register', form({ captcha: 'zzzz' }), '/register')).status).toBe(422);
    expect(await rowsOf('account.create')).toEqual([]);
    await v.get('/captcha');
    expect((await v.post('/register', form(), '/register')).status).toBe(302);
    const user = await t.knex('users').where({ username: 'selfmade' }).first();
    expect(await oneRow('account.create')).toMatchObject({
      actor_user_id: user.id,
      actor_role: 'enterprise',
      address: ADDRESS,
      object: 'selfmade',
      result: 'success',
      detail: { via: 'register', role: 'enterprise', enterprise_id: user.enterprise_id },
    });
  });
});

describe('export.xlsx', () => {
  it('records 已入库 and 统计分析 exports with the page, filters and row count; a refused one records nothing', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = await signedIn(reg.username);
    expect((await v.get('/stored.xlsx?category=nothing')).status).toBe(400);
    expect(await rowsOf('export.xlsx')).toEqual([]);
    expect((await v.get('/stored.xlsx?category=open_pit&q=矿')).status).toBe(200);
    expect(await oneRow('export.xlsx')).toMatchObject({
      actor_user_id: reg.id,
      address: ADDRESS,
      object: 'stored',
      result: 'success',
      detail: { page: 'stored', filters: { category: 'open_pit', q: '矿' }, rows: 0 },
    });
    expect((await v.get('/stats.xlsx?sort=-stored')).status).toBe(200);
    const [, stats] = await rowsOf('export.xlsx');
    expect(stats).toMatchObject({
      actor_user_id: reg.id,
      object: 'stats',
      detail: { page: 'stats', filters: { region: CHAIN.county, sort: '-stored' } },
    });
    expect(stats.detail.rows).toBeGreaterThan(0);
  });
});

describe('review.approve, review.return, review.bulk_approve', () => {
  const submitted = async (name: string) =>
    (await fileThrough(t, 'submitted', { supervisingCode: CHAIN.county, overrides: { name } })).id;
  const seqOf = (html: string) => html.match(/name="seq" value="(\d+)"/)![1];
  const lastHistory = (systemId: number) =>
    t.knex('history').where({ system_id: systemId }).orderBy('seq', 'desc').first();

  it('records each move with a pointer to its history row; a stale or tokenless post records none', async () => {
    const a = await submitted('审计甲矿');
    const b = await submitted('审计乙矿');
    const reg = await createRegulator(t, CHAIN.county);
    const v = await signedIn(reg.username);
    const page = (await v.get(`/review/${a}`)).text;
    expect((await v.postWithToken(`/review/${a}/approve`, { seq: seqOf(page) }, undefined)).status).toBe(403);
    expect((await v.postWithToken(`/review/${a}/approve`, { seq: '999' }, csrfFrom(page))).status).toBe(409);
    const noReason = await v.postWithToken(`/review/${b}/return`, { seq: '1', reason: '' }, csrfFrom(page));
    expect(noReason.status).toBe(422);
    expect(await t.knex('audit_log').where('event_type', 'like', 'review.%')).toEqual([]);

    expect((await v.postWithToken(`/review/${a}/approve`, { seq: seqOf(page) }, csrfFrom(page))).status).toBe(
      302,
    );
    const bPage = (await v.get(`/review/${b}`)).text;
    const returned = await v.postWithToken(
      `/review/${b}/return`,
      { seq: seqOf(bPage), reason: '请补充尾矿库等别' },
      csrfFrom(bPage),
    );
    expect(returned.status).toBe(302);
    const approve = await oneRow('review.approve');
    expect(approve).toMatchObject({
      actor_user_id: reg.id,
      actor_role: 'regulator',
      address: ADDRESS,
      object: `审计甲矿（编号 ${a}）`,
      result: 'success',
      detail: { system_id: a, history_id: (await lastHistory(a)).id, to_state: 'pending' },
    });
    expect(await oneRow('review.return')).toMatchObject({
      actor_user_id: reg.id,
      reason: '请补充尾矿库等别',
      detail: { system_id: b, history_id: (await lastHistory(b)).id, to_state: 'returned' },
    });
  });

  it('records one bulk_approve row per item approved, none for an item refused', async () => {
    const a = await submitted('批量审计甲矿');
    const b = await submitted('批量审计乙矿');
    const reg = await createRegulator(t, CHAIN.county);
    const v = await signedIn(reg.username);
    const list = (await v.get('/review')).text;
    // A colleague handles b first: the bulk approval of b is refused.
    await t.services.workflow.approve(await actingUser(t, reg.id), b, undefined);
    const res = await v.postWithToken(
      '/review/bulk-approve',
      { ids: [String(a), String(b)], confirmed: '1' },
      csrfFrom(list),
    );
    expect(res.status).toBe(302);
    const bulk = await oneRow('review.bulk_approve');
    expect(bulk).toMatchObject({
      actor_user_id: reg.id,
      address: ADDRESS,
      object: `批量审计甲矿（编号 ${a}）`,
      detail: { system_id: a, history_id: (await lastHistory(a)).id, bulk: { index: 1, count: 2 } },
    });
    // The colleague's approval (no request: no address) is its own review.approve.
    expect((await oneRow('review.approve')).detail).toMatchObject({ system_id: b });
    expect(await verifyAuditChain(t.knex)).toMatchObject({ broken: null });
  });
});
