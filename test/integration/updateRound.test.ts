import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { actingUser, createEnterprise, createSystem, PASSWORD } from '../support/fixtures';
import { bringTo } from '../support/filings';
import { signedIn } from '../support/personas';

// 年度复查 (issue 15 part 5): 总局 opens an update round; each stored system is confirmed unchanged
// by its enterprise or changed through 变更; progress counts both.
let t: TestApp;
let national: Visitor;
const ROUND = {
  round_name: '2028年度年度复查',
  round_startsOn: '2028-01-03',
  round_filingDeadline: '2028-03-31',
};
const TIMETABLE = {
  name: '2027年度非煤矿山安全生产基本情况普查',
  startsOn: '2027-01-04',
  filingDeadline: '2027-03-31',
  limit_county: '5',
  limit_city: '5',
  limit_province: '10',
  limit_offshore: '10',
  limit_national: '15',
};

beforeAll(async () => {
  t = await startTestApp();
  national = await signedIn(t, 'national');
  expect((await national.post('/campaign', TIMETABLE)).status).toBe(302);
});
afterAll(async () => t.close());

it('is opened only by 总局; other levels get 404', async () => {
  const province = await signedIn(t, 'province');
  expect((await province.post('/campaign/rounds', ROUND)).status).toBe(404);
  expect((await national.post('/campaign/rounds', { ...ROUND, round_filingDeadline: '' })).status).toBe(422);
  expect((await national.post('/campaign/rounds', ROUND)).status).toBe(302);
  const rounds = await t.knex('campaign_rounds').orderBy('id').select('kind', 'name');
  expect(rounds.at(-1)).toEqual({ kind: 'update', name: ROUND.round_name });
});

it('counts confirmations and changes per region; an enterprise confirms only its own systems', async () => {
  const a = await createEnterprise(t);
  const b = await createEnterprise(t);
  const kept = await createSystem(t, a.id, 'tailings');
  const changed = await createSystem(t, a.id, 'tailings');
  const foreign = await createSystem(t, b.id, 'tailings');
  for (const id of [kept, changed, foreign]) await bringTo(t, id, 'stored');
  expect((await national.post('/campaign/rounds', { ...ROUND, round_name: '2029年度年度复查' })).status).toBe(
    302,
  );

  const v = new Visitor(t.app);
  await v.login(a.username, PASSWORD);
  const owed = (await v.get('/enterprise')).text;
  expect(owed).toContain(`<li><a href="/enterprise/systems/${kept}">`);
  expect(owed).toContain('年度复查：待确认无变化，或发起变更');
  expect((await v.get(`/enterprise/systems/${kept}`)).text).toContain('确认无变化');
  expect(
    (await v.post(`/enterprise/systems/${kept}/confirm`, {}, `/enterprise/systems/${kept}`)).status,
  ).toBe(302);
  expect(
    (await v.post(`/enterprise/systems/${foreign}/confirm`, {}, `/enterprise/systems/${kept}`)).status,
  ).toBe(404);
  // A change stored in the round counts as changed.
  const user = await actingUser(t, a.userId);
  await t.services.workflow.reopen(user, changed);
  await bringTo(t, changed, 'stored');

  // Once confirmed or changed, a system is no longer owed in the round.
  const home = (await v.get('/enterprise')).text;
  expect(home).not.toContain(`<li><a href="/enterprise/systems/${kept}">`);
  expect(home).not.toContain(`<li><a href="/enterprise/systems/${changed}">`);
  const history = await t.knex('history').where({ system_id: kept, action: 'confirm' });
  expect(history).toHaveLength(1);
  const page = (await national.get('/campaign')).text;
  expect(page).toContain('年度复查进度');
  expect(page).toMatch(
    /浙江省[^<]*<\/td><td class="num">3<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">1<\/td>/,
  );
  const stored = (await national.get(`/stored/${kept}`)).text;
  expect(stored).toContain('最近于“2029年度年度复查”中确认无变化');
});
