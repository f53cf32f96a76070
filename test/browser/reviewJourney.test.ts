import type { Page } from 'playwright-core';
import { browserAvailable, shot, signIn, startRig, type BrowserRig } from './support';
import { CHAIN, PASSWORD } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { reviewer as persona, type Level } from '../support/personas';

// The main journey in a real browser: an enterprise submits a tailings pond; county, city and
// province approve; the national level returns it with a reason pointing at a field; the return
// cascades down to the enterprise, which sees every reason, fixes the field and resubmits; all
// four levels approve and the pond is stored.
const describeBrowser = browserAvailable ? describe : describe.skip;

describeBrowser('review journey in Chromium', () => {
  let rig: BrowserRig;
  const reviewers: Record<string, string> = {};
  let enterprise: { username: string; id: number };
  let systemId: number;
  let systemName: string;

  beforeAll(async () => {
    rig = await startRig();
    for (const level of Object.keys(CHAIN) as Level[])
      reviewers[level] = (await persona(rig.t, level)).username;
    const filing = await fileThrough(rig.t, 'draft', {
      category: 'tailings',
      overrides: { name: '龙坞尾矿库' },
      enterpriseName: '浙江龙坞矿业有限公司',
    });
    enterprise = { username: filing.enterprise.username, id: filing.enterprise.id };
    systemId = filing.id;
    systemName = filing.name;
  }, 60000);
  afterAll(async () => rig?.close());

  async function reviewer(level: string): Promise<Page> {
    const page = await signIn(rig, reviewers[level], PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/review');
    return page;
  }

  /** The row of our system in the pending list, with the arrival tag the reviewer sees. */
  async function pendingRow(page: Page, arrival: string) {
    const row = page.locator('table.review-table tbody tr', { hasText: systemName });
    await expect(row.locator('.tag').textContent()).resolves.toBe(arrival);
    return row;
  }

  async function approve(level: string, arrival: string, flash: RegExp) {
    const page = await reviewer(level);
    await pendingRow(page, arrival);
    await page.getByRole('link', { name: systemName }).click();
    await expect(page.locator('h1').textContent()).resolves.toContain(systemName);
    await Promise.all([page.waitForURL(/\/review$/), page.getByRole('button', { name: '审核通过' }).click()]);
    await expect(page.locator('.notice').first().textContent()).resolves.toMatch(flash);
    await page.context().close();
  }

  async function returnDown(level: string, reason: string, upperReason: string | null) {
    const page = await reviewer(level);
    await pendingRow(page, upperReason ? '上级退回' : '下级报送');
    await page.getByRole('link', { name: systemName }).click();
    if (upperReason) {
      // Only the return action is offered, with the upper level's reason shown prominently.
      await expect(page.getByRole('button', { name: '审核通过' }).count()).resolves.toBe(0);
      await expect(page.locator('main').textContent()).resolves.toContain(upperReason);
    }
    await page.getByLabel(/退回理由/).fill(reason);
    if (level === 'national') {
      await page.getByText('指出有问题的字段').click();
      await page.getByRole('checkbox', { name: '现状坝高' }).check();
    }
    if (level === 'national') await shot(page, 'review-detail-return');
    await Promise.all([page.waitForURL(/\/review$/), page.getByRole('button', { name: '退回' }).click()]);
    await expect(page.locator('.notice').first().textContent()).resolves.toMatch(/退回/);
    await page.context().close();
  }

  it('goes up, comes back down with reasons, is fixed and is stored', async () => {
    // The enterprise submits its draft.
    const ent = await signIn(rig, enterprise.username, PASSWORD);
    await ent.goto(`${rig.base}/enterprise/systems/${systemId}`);
    await Promise.all([
      ent.waitForNavigation(),
      ent.getByRole('button', { name: '提交审核' }).first().click(),
    ]);
    await ent.goto(`${rig.base}/enterprise`);
    await expect(ent.locator('main').textContent()).resolves.toMatch(/审核中（西湖区安监局）/);

    // County: sees it as 企业提交, opens its history below the list, then approves.
    const county = await reviewer('county');
    const row = await pendingRow(county, '企业提交');
    await row.getByRole('link', { name: '操作历史' }).click();
    // With JavaScript the history opens inline below the list (no page load).
    await county.locator('#history-panel table', { hasText: '企业提交' }).waitFor();
    expect(await county.locator('tr.selected').textContent()).toContain(systemName);
    await shot(county, 'review-list-history-open');
    await county.context().close();
    await approve('county', '企业提交', /杭州市安全生产监督管理局/);
    await approve('city', '下级报送', /浙江省安全生产监督管理局/);
    await approve('province', '下级报送', /国家安全生产监督管理总局/);

    // National returns with a reason pointing at a field; the return cascades down.
    await returnDown('national', '现状坝高与设计资料不符，请核实', null);
    await returnDown('province', '请按总局意见核实现状坝高', '现状坝高与设计资料不符，请核实');
    await returnDown('city', '请县局督促企业核实', '请按总局意见核实现状坝高');
    await returnDown('county', '请企业核实现状坝高后重新提交', '请县局督促企业核实');

    // The enterprise sees every reason and the flagged field, fixes it and resubmits.
    await ent.goto(`${rig.base}/enterprise/systems/${systemId}`);
    const text = (await ent.locator('main').textContent()) ?? '';
    for (const reason of [
      '现状坝高与设计资料不符，请核实',
      '请按总局意见核实现状坝高',
      '请县局督促企业核实',
      '请企业核实现状坝高后重新提交',
    ])
      expect(text).toContain(reason);
    await expect(ent.locator('main').textContent()).resolves.toContain('退回指出');
    await shot(ent, 'enterprise-returned');
    await ent.locator('#current_dam_height').fill('36.5');
    await Promise.all([
      ent.waitForNavigation(),
      ent.getByRole('button', { name: '重新提交审核' }).first().click(),
    ]);

    await approve('county', '企业提交', /杭州市/);
    await approve('city', '下级报送', /浙江省/);
    await approve('province', '下级报送', /国家安全生产监督管理总局/);
    const national = await reviewer('national');
    await pendingRow(national, '下级报送');
    await national.getByRole('link', { name: systemName }).click();
    await expect(national.locator('main').textContent()).resolves.toContain('36.5');
    await shot(national, 'review-detail-changes');
    await Promise.all([
      national.waitForURL(/\/review$/),
      national.getByRole('button', { name: '审核通过' }).click(),
    ]);
    await expect(national.locator('.notice').first().textContent()).resolves.toMatch(/入库/);

    // Stored: the enterprise sees it; the history holds all 13 actions (1+3+4 returns, 1+4).
    await ent.goto(`${rig.base}/enterprise`);
    await expect(ent.locator('main').textContent()).resolves.toContain('已入库');
    const history = await rig.t.knex('history').where({ system_id: systemId });
    expect(history.map((h) => h.action).join(',')).toBe(
      'submit,approve,approve,approve,return,return,return,return,submit,approve,approve,approve,approve',
    );
    await ent.context().close();
  }, 120000);
});
