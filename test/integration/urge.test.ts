import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor } from '../support/browser';
import { createEnterprise, PASSWORD } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { reviewer, signedIn } from '../support/personas';
import { chinaDay } from '../../src/domain/campaign';

// 催办 down the chain (issue 15 part 3): one item or a whole region, recorded with its items and
// the urged agency's 站内通知; its notice on 待审核 until the items are handled; only downward
// inside the subtree (anything else is a 404); an enterprise urged gets a 站内消息.
const DAY = 86_400_000;
const clock = new Date();
const longAgo = new Date(clock.getTime() - 40 * DAY);

let t: TestApp;
let city: Visitor;
let county: Visitor;
let province: Visitor;
let sibling: Visitor;
let enterprise: { id: number; userId: number; username: string };
const ids: Record<string, number> = {};

const count = async (table: string): Promise<number> =>
  Number((await t.knex(table).count<{ n: string }[]>('* as n'))[0]!.n);

/** Opens the 催办 page and posts its form with `note` (the page's own CSRF and one-time tokens). */
async function urge(v: Visitor, query: string, note: string, tokenOverride?: string) {
  const page = await v.get(`/urges/new?${query}`);
  expect(page.status).toBe(200);
  const formToken = tokenOverride ?? /name="form_token" value="([^"]+)"/.exec(page.text)![1]!;
  const hidden = Object.fromEntries(
    [
      ...page.text.matchAll(
        /<input type="hidden" name="(system|region|direct|level|back)" value="([^"]*)">/g,
      ),
    ].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
  );
  return {
    formToken,
    res: await v.postWithToken('/urges', { ...hidden, note, form_token: formToken }, csrfFrom(page.text)),
  };
}

beforeAll(async () => {
  t = await startTestApp({}, { now: () => clock });
  await t.services.campaign.save((await reviewer(t, 'national')).user, {
    name: '2027年度非煤矿山安全生产基本情况普查',
    startsOn: chinaDay(new Date(clock.getTime() - 60 * DAY)),
    filingDeadline: chinaDay(new Date(clock.getTime() + 10 * DAY)),
    limit_county: '5',
    limit_city: '5',
    limit_province: '10',
    limit_offshore: '10',
    limit_national: '15',
  });
  enterprise = await createEnterprise(t, { name: '催办测试矿业有限公司' });
  const submitted = async (at: 'county' | 'city') =>
    (
      await fileThrough(t, at === 'county' ? 'submitted' : 'pending@city', {
        enterprise,
        category: 'tailings',
      })
    ).id;
  // a: the city returned it to the county (so the city tracks it); b: waiting at the county;
  // c: waiting at the city. All overdue.
  ids.a = await submitted('city');
  await t.services.workflow.return((await reviewer(t, 'city')).user, ids.a, '请县级核实坝高');
  ids.b = await submitted('county');
  ids.c = await submitted('city');
  for (const id of [ids.a, ids.b, ids.c])
    await t.knex('production_systems').where({ id }).update({ state_changed_at: longAgo });
  ids.draft = (await fileThrough(t, 'draft', { enterprise, category: 'tailings' })).id;
  city = await signedIn(t, 'city');
  county = await signedIn(t, 'county');
  province = await signedIn(t, 'province');
  sibling = await signedIn(t, '330200');
});
afterAll(async () => t.close());

describe('催办', () => {
  it('an empty or over-long note is refused in Chinese and nothing is written', async () => {
    const empty = await urge(city, `system=${ids.a}`, '   ');
    expect(empty.res.status).toBe(422);
    expect(empty.res.text).toContain('请填写催办说明');
    const long = await urge(city, `system=${ids.a}`, '催'.repeat(501));
    expect(long.res.status).toBe(422);
    expect(long.res.text).toContain('催办说明不能超过 500 个字');
    expect(await count('urges')).toBe(0);
    expect(await count('urge_items')).toBe(0);
    expect(await count('notices')).toBe(0);
  });

  it('urges one item from the tracking detail: recorded, noticed, shown on the detail pages; a double-click records one', async () => {
    const tracking = (await city.get(`/tracking/${ids.a}`)).text;
    expect(tracking).toContain(`/urges/new?system=${ids.a}`);
    const first = await urge(city, `system=${ids.a}`, '请于本周内完成审核');
    expect(first.res.status).toBe(302);
    // The same form posted again (a double-click): nothing more is recorded.
    const again = await urge(city, `system=${ids.a}`, '请于本周内完成审核', first.formToken);
    expect(again.res.status).toBe(302);
    expect(await count('urges')).toBe(1);
    const [row] = await t.knex('urges');
    const countyAgency = (await reviewer(t, 'county')).user;
    expect(row.to_agency_id).toBe(countyAgency.role === 'regulator' ? countyAgency.agencyId : -1);
    expect(row.note).toBe('请于本周内完成审核');
    expect(await t.knex('urge_items').select('system_id')).toEqual([{ system_id: ids.a }]);
    const notices = await t.knex('notices').where({ kind: 'urge' });
    expect(notices).toHaveLength(1);
    expect(notices[0].body).toContain('请于本周内完成审核');
    // The reminder job does not send it a second time.
    await t.services.reminders.runOnce(60_000);
    expect(await t.knex('notices').where({ kind: 'urge' })).toHaveLength(1);

    expect((await county.get(`/review/${ids.a}`)).text).toContain('催办记录（1）');
    expect((await city.get(`/tracking/${ids.a}`)).text).toContain('请于本周内完成审核');
  });

  it('urges all overdue items of a child region at once, one urge per waiting agency', async () => {
    const stats = (await province.get('/stats')).text;
    expect(stats).toContain('/urges/new?region=330100');
    const page = (await province.get('/urges/new?region=330100')).text;
    for (const id of [ids.a, ids.b, ids.c]) {
      const name = (await t.knex('production_systems').where({ id }).first('name')).name;
      expect(page).toContain(name);
    }
    const before = await count('urges');
    const noticed = (await t.knex('notices').where({ kind: 'urge' })).length;
    const { res } = await urge(province, 'region=330100', '全市超期信息请尽快处理');
    expect(res.status).toBe(302);
    expect(await count('urges')).toBe(before + 2); // the county (a, b) and the city (c)
    expect(await t.knex('notices').where({ kind: 'urge' })).toHaveLength(noticed + 2);
    // The level filter of a figure lists exactly the items counted at that level.
    const countyOnly = (await province.get('/urges/new?region=330100&level=county')).text;
    expect(countyOnly.match(/<tr>\s*<td>/g)).toHaveLength(2);
  });

  it('the urged agency sees the 催办 on 待审核 until the urged items are handled', async () => {
    // Its own 催办 of a, and of the city's overdue items (a and b wait at the county).
    expect((await urge(city, `system=${ids.a}`, '请于本周内完成审核')).res.status).toBe(302);
    expect((await urge(province, 'region=330100', '全市超期信息请尽快处理')).res.status).toBe(302);
    const list = (await county.get('/review')).text;
    expect(list).toContain('id="urge-notices-title"');
    expect(list).toContain('全市超期信息请尽快处理');
    const countyUser = (await reviewer(t, 'county')).user;
    await t.services.workflow.return(countyUser, ids.a, '退回企业补充');
    expect((await county.get('/review')).text).toContain('全市超期信息请尽快处理'); // b is still waiting
    expect((await county.get('/review')).text).not.toContain('请于本周内完成审核'); // a's urge is handled
    await t.services.workflow.approve(countyUser, ids.b, undefined);
    expect((await county.get('/review')).text).not.toContain('id="urge-notices-title"');
  });

  it('only downward inside the subtree: a sibling or an upper agency gets a 404, and nothing is written', async () => {
    const before = await count('urges');
    expect((await sibling.get(`/urges/new?system=${ids.c}`)).status).toBe(404);
    expect((await sibling.get('/urges/new?region=330100')).status).toBe(404);
    const token = csrfFrom((await sibling.get('/review')).text);
    expect(
      (await sibling.postWithToken('/urges', { system: String(ids.c), note: '越权' }, token)).status,
    ).toBe(404);
    // The county acted on c, but c waits at the city above it.
    expect((await county.get(`/urges/new?system=${ids.c}`)).status).toBe(404);
    expect((await county.get('/urges/new?region=330000')).status).toBe(404);
    expect((await city.get('/urges/new?system=abc')).status).toBe(404);
    expect(await count('urges')).toBe(before);
    // Without the CSRF token: refused.
    expect((await city.postWithToken('/urges', { system: String(ids.c), note: 'x' }, undefined)).status).toBe(
      403,
    );
  });

  it('urges an enterprise about a system it has not submitted: the enterprise gets a 站内消息', async () => {
    const { res } = await urge(county, `system=${ids.draft}`, '请尽快提交尾矿库信息');
    expect(res.status).toBe(302);
    const [msg] = await t.knex('messages').where({ enterprise_id: enterprise.id, kind: 'urge' });
    expect(msg.body).toContain('请尽快提交尾矿库信息');
    expect(msg.system_id).toBe(ids.draft);
    const urgeRow = await t.knex('urges').orderBy('id', 'desc').first();
    expect(urgeRow.to_enterprise_id).toBe(enterprise.id);
    const v = new Visitor(t.app);
    await v.login(enterprise.username, PASSWORD);
    const home = (await v.get('/enterprise')).text;
    expect(home).toContain('催办');
    expect(home).toContain('请尽快提交尾矿库信息');
    // Another region's enterprise is not the county's to urge.
    expect((await sibling.get(`/urges/new?system=${ids.draft}`)).status).toBe(404);
  });
});
