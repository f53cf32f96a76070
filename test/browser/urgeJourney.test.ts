import { browserAvailable, shot, signIn, startRig, type BrowserRig } from './support';
import { CHAIN, PASSWORD } from '../support/fixtures';
import { chinaDay } from '../support/storedFixtures';
import { fileThrough } from '../support/filings';
import { reviewer, type Level } from '../support/personas';
import { LIMIT_LEVELS } from '../../src/domain/campaign';

// 超期 and 催办 in a real browser (issue 15): 总局 sets the timetable; the province sees on 统计分析
// that 杭州市 has an overdue item waiting at the city and urges it; the city sees the 催办 on its
// 待审核, handles the item, and the 催办 is gone.
const describeBrowser = browserAvailable ? describe : describe.skip;
const DAY = 86_400_000;

describeBrowser('超期 and 催办 in Chromium', () => {
  let rig: BrowserRig;
  const users: Record<string, string> = {};
  let systemName: string;

  beforeAll(async () => {
    rig = await startRig();
    const t = rig.t;
    for (const level of Object.keys(CHAIN) as Level[]) users[level] = (await reviewer(t, level)).username;
    const { id } = await fileThrough(t, 'pending@city', {
      category: 'tailings',
      overrides: { name: '超期尾矿库' },
      enterpriseName: '浙江超期矿业有限公司',
    }); // now waiting at 杭州市, for 40 days
    await t
      .knex('production_systems')
      .where({ id })
      .update({ state_changed_at: new Date(Date.now() - 40 * DAY) });
    systemName = (await t.knex('production_systems').where({ id }).first()).name;
  }, 60000);
  afterAll(async () => rig?.close());

  it('总局 sets a deadline, the province urges 杭州市, the city handles the item', async () => {
    const national = await signIn(rig, users.national, PASSWORD);
    await national.goto(`${rig.base}/campaign`);
    const field = (name: string) => national.locator(`form[action="/campaign"] [name="${name}"]`);
    await field('name').fill('2027年度非煤矿山安全生产基本情况普查');
    await field('startsOn').fill(chinaDay(-60));
    await field('filingDeadline').fill(chinaDay(30));
    for (const level of LIMIT_LEVELS) await field(`limit_${level}`).fill('5');
    await Promise.all([
      national.waitForURL(/\/campaign/),
      national.getByRole('button', { name: '保存' }).click(),
    ]);

    const province = await signIn(rig, users.province, PASSWORD);
    await province.setViewportSize({ width: 1024, height: 800 });
    await province.goto(`${rig.base}/stats`);
    const overdue = province.locator('table.overdue-table');
    await expect(overdue.locator('tbody tr').first().locator('th').textContent()).resolves.toBe('杭州市');
    await shot(province, 'urge-stats-1024');
    await Promise.all([
      province.waitForURL(/\/urges\/new/),
      overdue.getByRole('link', { name: /催办/ }).first().click(),
    ]);
    await expect(province.getByText(systemName).count()).resolves.toBeGreaterThan(0);
    await province.getByLabel('催办说明').fill('请本周内完成审核');
    await Promise.all([
      province.waitForURL(/\/stats/),
      province.getByRole('button', { name: /发送催办/ }).click(),
    ]);
    await expect(province.getByText('已催办 1 个单位或企业，共 1 条信息。').count()).resolves.toBe(1);

    const city = await signIn(rig, users.city, PASSWORD);
    await city.goto(`${rig.base}/review`);
    const notice = city.locator('.urge-notices');
    await expect(notice.textContent()).resolves.toContain('请本周内完成审核');
    await shot(city, 'urge-city-review');
    await city.getByRole('link', { name: systemName }).first().click();
    await expect(city.getByText('催办记录（1）').count()).resolves.toBe(1);
    await Promise.all([
      city.waitForURL(/\/review(\?|$)/),
      city.getByRole('button', { name: '审核通过' }).click(),
    ]);
    await expect(city.locator('.urge-notices').count()).resolves.toBe(0);
  }, 120000);
});
