import { startTestApp, type TestApp } from '../support/app';
import { testPools } from '../support/db';
import { Visitor } from '../support/browser';
import { CHAIN, createEnterprise, createRegulator, PASSWORD } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { reviewer } from '../support/personas';
import { createServices, type Services } from '../../src/services';
import type { Pools } from '../../src/db/pools';

// The reminder job (issue 15 part 4): enterprises' 站内消息 before and after the filing deadline and
// for an expiring 安全生产许可证, agencies' 站内通知; once per interval across processes, each
// reminder once, and what fell due while no process ran is sent by the first run after.
const DAY = 86_400_000;
const INTERVAL = 10 * 60_000;
const chinaDay = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
/** Noon in China on the day `offset` days from `day`. */
const noonAfter = (day: string, offset: number): Date =>
  new Date(Date.parse(`${day}T12:00:00+08:00`) + offset * DAY);

let t: TestApp;
let clock: Date;
const extraPools: Pools[] = [];
/** A second "process": its own pool and services on the same database, on the same clock. */
function otherProcess(): Services {
  const pools = testPools();
  extraPools.push(pools);
  return createServices(pools.knex, t.config, () => clock);
}

const realToday = chinaDay(new Date());
const deadline = chinaDay(new Date(Date.now() + 20 * DAY));
let lateEnterprise: { id: number; userId: number; username: string };
let licenceSystem: number;
let countyAgencyId: number;
const licenceExpires = chinaDay(new Date(Date.now() + 100 * DAY));

async function remindersOf(enterpriseId: number): Promise<string[]> {
  return (
    await t
      .knex('messages')
      .where({ enterprise_id: enterpriseId, kind: 'reminder' })
      .orderBy('id')
      .select('reminder_key')
  ).map((r: { reminder_key: string }) => r.reminder_key.replace(/^filing:\d+:\d+:/, 'filing:'));
}

beforeAll(async () => {
  clock = new Date();
  t = await startTestApp({}, { now: () => clock });
  await t.services.campaign.save((await reviewer(t, 'national')).user, {
    name: '2027年度非煤矿山安全生产基本情况普查',
    startsOn: realToday,
    filingDeadline: deadline,
    limit_county: '5',
    limit_city: '5',
    limit_province: '5',
    limit_offshore: '5',
    limit_national: '5',
  });
  // One enterprise with a draft it has not submitted; one whose system is stored with a
  // licence 100 days from now, and another of its systems waiting at the county.
  const late = await createEnterprise(t, { name: '逾期未报矿业有限公司' });
  lateEnterprise = late;
  await fileThrough(t, 'draft', { enterprise: late, category: 'tailings' });
  const done = await createEnterprise(t, { name: '许可证将到期矿业有限公司' });
  licenceSystem = (
    await fileThrough(t, 'stored', {
      enterprise: done,
      category: 'tailings',
      overrides: {
        safety_license_issued: `${Number(licenceExpires.slice(0, 4)) - 3}${licenceExpires.slice(4)}`,
        safety_license_expires: licenceExpires,
      },
    })
  ).id;
  await fileThrough(t, 'submitted', { enterprise: done, category: 'tailings' });
  countyAgencyId = (await t.knex('agencies').where({ code: CHAIN.county }).first('id')).id;
  clock = new Date();
});
afterAll(async () => {
  await Promise.all(extraPools.map((p) => p.close()));
  await t.close();
});

describe('the reminder job', () => {
  it('runs once per interval with two processes at once, and sends each reminder once', async () => {
    const other = otherProcess();
    // Thirteen days before the deadline: nothing is due for enterprises; the county hears of its arrival.
    clock = new Date();
    const first = await Promise.all([
      t.services.reminders.runOnce(INTERVAL),
      other.reminders.runOnce(INTERVAL),
    ]);
    expect(first.map((r) => r.ran).sort()).toEqual([false, true]);
    expect(await remindersOf(lateEnterprise.id)).toEqual([]);
    const arrived = await t.knex('notices').where({ agency_id: countyAgencyId, kind: 'arrived' });
    expect(arrived.map((n: { body: string }) => n.body)).toEqual(['有 1 条新的信息到达本单位待审核。']);

    // Seven days before: both processes tick at once, again and again within the interval.
    clock = noonAfter(deadline, -7);
    const week = await Promise.all([
      t.services.reminders.runOnce(INTERVAL),
      other.reminders.runOnce(INTERVAL),
    ]);
    expect(week.filter((r) => r.ran)).toHaveLength(1);
    const again = await Promise.all([
      t.services.reminders.runOnce(INTERVAL),
      other.reminders.runOnce(INTERVAL),
    ]);
    expect(again.every((r) => !r.ran)).toBe(true);
    clock = new Date(clock.getTime() + INTERVAL);
    const next = await Promise.all([
      t.services.reminders.runOnce(INTERVAL),
      other.reminders.runOnce(INTERVAL),
    ]);
    expect(next.filter((r) => r.ran)).toHaveLength(1);
    expect(next.reduce((n, r) => n + r.messages, 0)).toBe(0);

    expect(await remindersOf(lateEnterprise.id)).toEqual(['filing:deadline_7']);
    // The licence, now within three months of its expiry, is reminded of once, for its system.
    const licence = await t.knex('messages').where({ kind: 'reminder', system_id: licenceSystem });
    expect(licence).toHaveLength(1);
    expect(licence[0].body).toContain(`将于 ${licenceExpires} 到期`);
    // The item submitted thirteen days ago is past the county's five working days: one notice today.
    const overdue = await t.knex('notices').where({ agency_id: countyAgencyId, kind: 'overdue' });
    expect(overdue).toHaveLength(1);
    expect(overdue[0].body).toBe('本单位有 1 条待审核信息已超过审核时限，请尽快处理。');
    // The enterprise whose systems are all submitted or stored is not reminded of the deadline.
    const done = await t.knex('messages').where({ kind: 'reminder' }).whereNull('system_id');
    expect(done.map((m: { enterprise_id: number }) => m.enterprise_id)).toEqual([lateEnterprise.id]);
  });

  it('catches up after a restart past the due moment, with the reminder due then, once', async () => {
    // No process ran from the 7-day run until two days after the deadline: the first run after
    // the restart sends the overdue reminder (not the stale 1-day one), and only once.
    clock = noonAfter(deadline, 2);
    const restarted = otherProcess();
    const [a, b] = await Promise.all([
      restarted.reminders.runOnce(INTERVAL),
      t.services.reminders.runOnce(INTERVAL),
    ]);
    expect([a.ran, b.ran].filter(Boolean)).toHaveLength(1);
    const sent = await remindersOf(lateEnterprise.id);
    expect(sent.filter((k) => k === 'filing:overdue')).toHaveLength(1);
    expect(sent).not.toContain('filing:deadline_1');
    clock = new Date(clock.getTime() + 3 * INTERVAL);
    expect((await otherProcess().reminders.runOnce(INTERVAL)).ran).toBe(true);
    expect(await remindersOf(lateEnterprise.id)).toEqual(sent);
    // The county hears that the item is overdue once for the day, however many runs.
    const overdue = await t.knex('notices').where({
      agency_id: countyAgencyId,
      kind: 'overdue',
      key: `overdue:${countyAgencyId}:${chinaDay(clock)}`,
    });
    expect(overdue).toHaveLength(1);
  });

  it('shows agencies their notices with the unread count in the header, and enterprises their reminders', async () => {
    for (const at of [new Date(), noonAfter(deadline, 5)]) {
      clock = at;
      await t.services.reminders.runOnce(INTERVAL);
    }
    const county = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    await v.login(county.username, PASSWORD);
    const home = (await v.get('/campaign')).text;
    expect(home).toMatch(/站内通知 <span class="badge" aria-label="\d 条未读">\d<\/span>/);
    const list = (await v.get('/notices')).text;
    expect(list).toContain('有 1 条新的信息到达本单位待审核。');
    expect(list).toContain('本单位有 1 条待审核信息已超过审核时限');
    // Reading the list marks its notices read.
    expect((await v.get('/notices')).text).not.toContain('class="badge"');

    // Another agency sees none of them; an enterprise has no /notices.
    const city = await createRegulator(t, CHAIN.city);
    const c = new Visitor(t.app);
    await c.login(city.username, PASSWORD);
    expect((await c.get('/notices')).text).toContain('暂无通知');
    const e = new Visitor(t.app);
    await e.login(lateEnterprise.username, PASSWORD);
    expect((await e.get('/notices')).status).toBe(404);
    const entHome = (await e.get('/enterprise')).text;
    expect(entHome).toContain('企业填报截止日期');
    expect(entHome).toContain('仍有生产系统未提交或未确认');
  });
});
