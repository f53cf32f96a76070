import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { CHAIN, createRegulator, PASSWORD } from '../support/fixtures';

// Password lifecycle (安全策略 defaults: valid 90 days, the last 5 not reusable) and what a user
// is told after login. The services' clock is the test's: days pass by setting it, not waiting.
let t: TestApp;
let clock = new Date('2026-06-01T08:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await startTestApp({}, { now: () => clock });
});
afterAll(async () => t.close());

async function changePassword(v: Visitor, oldPassword: string, newPassword: string) {
  return v.post('/account/password', {
    old_password: oldPassword,
    new_password: newPassword,
    new_password_confirm: newPassword,
  });
}

describe('password lifecycle', () => {
  it('refuses any of the last 5 passwords and accepts an older one', async () => {
    const reg = await createRegulator(t, CHAIN.county, { username: 'history_user' });
    const v = new Visitor(t.app);
    await v.login(reg.username, PASSWORD);
    const passwords = [PASSWORD, 'Second2026a', 'Third2026a', 'Fourth2026a', 'Fifth2026a', 'Sixth2026a'];
    for (let i = 1; i < passwords.length; i++)
      expect((await changePassword(v, passwords[i - 1], passwords[i])).status).toBe(302);
    // Current: Sixth; the last 5 are Second..Sixth. Third is refused, the first one is free again.
    const refused = await changePassword(v, 'Sixth2026a', 'Third2026a');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('新密码不能与最近 5 次使用过的密码相同');
    expect((await changePassword(v, 'Sixth2026a', PASSWORD)).status).toBe(302);
    const stored = await t.knex('password_history').where({ user_id: reg.id }).count({ n: '*' }).first();
    expect(Number(stored?.n)).toBe(6);
    expect(
      (await t.knex('password_history').where({ user_id: reg.id }).select('password_hash')).every((r) =>
        String(r.password_hash).startsWith('$2'),
      ),
    ).toBe(true);
  });

  it('forces a change once the password is 90 days old, and not a day before', async () => {
    const reg = await createRegulator(t, CHAIN.city, { username: 'age_user' });
    await t.knex('users').where({ id: reg.id }).update({ password_changed_at: clock });
    const start = clock;
    try {
      clock = new Date(start.getTime() + 89 * DAY);
      expect((await new Visitor(t.app).login(reg.username, PASSWORD)).headers.location).toBe('/');
      clock = new Date(start.getTime() + 90 * DAY);
      const v = new Visitor(t.app);
      expect((await v.login(reg.username, PASSWORD)).headers.location).toBe('/account/password');
      expect((await v.get('/review')).headers.location).toBe('/account/password');
      expect((await changePassword(v, PASSWORD, 'Renewed2026x')).status).toBe(302);
      expect((await v.get('/review')).status).toBe(200);
      const row = await t.knex('users').where({ id: reg.id }).first('password_changed_at');
      expect(row.password_changed_at.getTime()).toBe(clock.getTime());
    } finally {
      clock = start;
    }
  });

  it('tells the user the previous login (time, address) and the wrong passwords since', async () => {
    const reg = await createRegulator(t, CHAIN.province, { username: 'info_user' });
    const first = new Visitor(t.app);
    await first.login(reg.username, PASSWORD);
    expect((await first.get('/account')).text).toContain('这是该账号的首次登录。');
    await new Visitor(t.app).login(reg.username, 'Wrong1pass');
    await new Visitor(t.app).login(reg.username, 'Wrong2pass');
    const second = new Visitor(t.app);
    await second.login(reg.username, PASSWORD);
    const page = (await second.get('/account')).text;
    expect(page).toMatch(/上次登录：2026-06-01 16:00(:00)?，地址 [^；]+；此后密码输错 2 次/);
    expect(page).toContain('<dt>其间密码输错</dt><dd>2 次</dd>');
    const third = new Visitor(t.app);
    await third.login(reg.username, PASSWORD);
    expect((await third.get('/account')).text).toContain('此后没有输错密码的记录。');
  });
});
