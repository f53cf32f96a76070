import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { createEnterprise, createSystem, PASSWORD } from '../support/fixtures';
import { fileThrough, type FilingTarget } from '../support/filings';
import { reviewer, signedIn } from '../support/personas';
import { chinaDay, daysBetween, dueDay, itemDue } from '../../src/domain/campaign';

// 超期 is visible (issue 15 part 2): due dates on 待审核 and 审核详情, the 超期 filter, its count
// equal to the 统计分析 figure that links to it, and the enterprise's filing deadline.
const DAY = 86_400_000;
const clock = new Date();
const longAgo = new Date(clock.getTime() - 40 * DAY);
const LIMITS = { county: 5, city: 5, province: 10, offshore: 10, national: 15 };

let t: TestApp;
let province: Visitor;
let county: Visitor;
const ids: Record<string, number> = {};
let enterprise: { id: number; userId: number; username: string };

/** Moves the system's arrival at its current agency into the past. */
async function arrivedAt(systemId: number, at: Date): Promise<void> {
  await t.knex('production_systems').where({ id: systemId }).update({ state_changed_at: at });
}

const totalOf = (html: string): number =>
  Number(/共 <strong>([\d,]+)<\/strong> 条/.exec(html)?.[1]?.replace(/,/g, '') ?? 0);

beforeAll(async () => {
  t = await startTestApp({}, { now: () => clock });
  enterprise = await createEnterprise(t, { name: '超期测试矿业有限公司' });
  const submit = async (name: string, to: FilingTarget, at: Date, ent = enterprise) => {
    const { id } = await fileThrough(t, to, { enterprise: ent, category: 'tailings' });
    await arrivedAt(id, at);
    ids[name] = id;
  };
  await submit('countyLate', 'submitted', longAgo);
  await submit('countyNew', 'submitted', clock);
  await submit('cityLate', 'pending@city', longAgo);
  await submit('provinceLate1', 'pending@province', longAgo);
  await submit('provinceLate2', 'pending@province', longAgo);
  await submit('provinceNew', 'pending@province', clock);
  // 宁波市 supervises this one itself: at the province it counts under 宁波市.
  const ningbo = await createEnterprise(t, {
    supervisingCode: '330200',
    name: '宁波超期矿业有限公司',
  });
  await submit('ningboLate', 'pending@province', longAgo, ningbo);
  // What the enterprise still owes: a draft, and one returned to it.
  ids.draft = await createSystem(t, enterprise.id, 'tailings');
  const returned = (await fileThrough(t, 'submitted', { enterprise, category: 'tailings' })).id;
  await t.services.workflow.return((await reviewer(t, 'county')).user, returned, '请补充坝高');
  ids.returned = returned;
  province = await signedIn(t, 'province');
  county = await signedIn(t, 'county');
});
afterAll(async () => t.close());

async function setTimetable(): Promise<void> {
  await t.services.campaign.save((await reviewer(t, 'national')).user, {
    name: '2027年度非煤矿山安全生产基本情况普查',
    startsOn: chinaDay(new Date(clock.getTime() - 60 * DAY)),
    filingDeadline: chinaDay(new Date(clock.getTime() + 10 * DAY)),
    ...Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [`limit_${k}`, String(v)])),
  });
}

describe('without a campaign timetable', () => {
  it('shows no due dates and no 超期 filter, and says so once', async () => {
    const res = await province.get('/review?overdue=1');
    expect(res.status).toBe(200);
    expect(res.text.match(/总局尚未设定普查任务时间安排/g)).toHaveLength(1);
    expect(res.text).not.toContain('只看超期');
    expect(totalOf(res.text)).toBe(4); // the filter is not applied: all four at the province
    expect((await province.get('/stats')).text).toContain('暂不统计超期信息');
  });
});

describe('with a timetable', () => {
  beforeAll(setTimetable);

  it('shows each pending item its due date: 剩余 N 天 / 超期 N 天 on 待审核, 应于 X 前审核 on the detail', async () => {
    const list = (await county.get('/review')).text;
    const late = itemDue(longAgo, 'county', LIMITS, clock);
    expect(late.lateness.overdue).toBe(true);
    expect(list).toContain(late.label);
    expect(list).toContain(`期限 <span class="nowrap">${late.due}</span>`);
    const fresh = dueDay(clock, 'county', LIMITS);
    expect(list).toContain(`剩余 ${daysBetween(chinaDay(clock), fresh)} 天`);
    expect(list).toContain('本级审核时限 5 个工作日');

    const lateDetail = (await county.get(`/review/${ids.countyLate}`)).text;
    expect(lateDetail).toContain(`已超期 ${daysBetween(late.due, chinaDay(clock))} 天`);
    const freshDetail = (await county.get(`/review/${ids.countyNew}`)).text;
    expect(freshDetail).toContain(`应于 ${fresh} 前审核`);
  });

  it('filters 超期 by the same rule, with the other filters and paging, and sorts by due date', async () => {
    const all = (await province.get('/review')).text;
    expect(totalOf(all)).toBe(4);
    expect(all).toContain('只看超期（3 条）');
    const overdue = (await province.get('/review?overdue=1')).text;
    expect(totalOf(overdue)).toBe(3);
    expect(overdue).not.toContain(`/review/${ids.provinceNew}?`);
    // With the region filter: 杭州市's two.
    expect(totalOf((await province.get('/review?overdue=1&region=330100')).text)).toBe(2);
    // The tab links and pages keep it.
    expect(overdue).toMatch(/href="\/review\?state=lower_submitted&amp;overdue=1"/);
    // By due date: the late ones before the new one.
    const sorted = (await province.get('/review?sort=due')).text;
    expect(sorted.indexOf(`/review/${ids.provinceLate1}?`)).toBeLessThan(
      sorted.indexOf(`/review/${ids.provinceNew}?`),
    );
  });

  it('a 超期 value not understood keeps the page with the filter ignored and answers 400', async () => {
    const res = await province.get('/review?overdue=yes');
    expect(res.status).toBe(400);
    expect(res.text).toContain('查询条件“超期”的取值无法识别');
    expect(totalOf(res.text)).toBe(4);
  });

  it('统计分析 counts overdue items per child region and level; each count is the total of the list it links to', async () => {
    const stats = (await province.get('/stats')).text;
    const section = stats.slice(stats.indexOf('id="overdue-title"'), stats.indexOf('id="census-title"'));
    expect(section).toContain('等待于本单位');
    expect(section).toContain('等待于市级');
    expect(section).toContain('等待于县级');
    const links = [...section.matchAll(/<a href="(\/review\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({
      href: m[1]!.replace(/&amp;/g, '&'),
      n: Number(m[2]),
    }));
    expect(links.map((l) => l.n).sort()).toEqual([1, 2, 3]); // 杭州市 2, 宁波市 1, 合计 3
    for (const l of links) expect(totalOf((await province.get(l.href)).text)).toBe(l.n);
    // What waits below opens the 催办 page of that region and level, listing exactly those items.
    const lower = [...section.matchAll(/<a href="(\/urges\/new\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({
      href: m[1]!.replace(/&amp;/g, '&'),
      n: Number(m[2]),
    }));
    expect(lower.length).toBeGreaterThanOrEqual(2);
    for (const l of lower)
      expect((await province.get(l.href)).text.match(/<tr>\s*<td>/g)?.length ?? 0).toBe(l.n);
    // The county's own overdue item, counted once at its level.
    const countyStats = (await county.get('/stats')).text;
    expect(countyStats).toMatch(/<a href="\/review\?overdue=1[^"]*">1<\/a>/);
  });

  it('the enterprise home shows the filing deadline and the systems still waiting for it', async () => {
    const v = new Visitor(t.app);
    await v.login(enterprise.username, PASSWORD);
    const home = (await v.get('/enterprise')).text;
    expect(home).toContain(
      `企业填报截止日期 <strong>${chinaDay(new Date(clock.getTime() + 10 * DAY))}</strong>（还有 10 天）`,
    );
    expect(home).toContain(`/enterprise/systems/${ids.draft}">`);
    expect(home).toContain('尚未提交');
    expect(home).toContain(`/enterprise/systems/${ids.returned}">`);
    expect(home).toContain('已退回，待修改后重新提交');
    expect(home).not.toContain(`<li><a href="/enterprise/systems/${ids.countyLate}">`);
  });
});
