import ExcelJS from 'exceljs';
import type { Download, Locator, Page } from 'playwright-core';
import { browserAvailable, columnTexts, shot, signIn, startRig, type BrowserRig } from './support';
import { actingUser, createEnterprise, PASSWORD } from '../support/fixtures';
import { chinaDay } from '../support/storedFixtures';
import { fileThrough, type FilingTarget } from '../support/filings';
import { reviewer } from '../support/personas';
import { censusRow } from '../support/census';
import { systemsRepo } from '../../src/data/systems';
import { exampleSystemData, validateSystem, type Category } from '../../src/domain/systems';

// The regulators' query pages in a real browser, over a small 浙江 data set whose every figure
// is known by construction: 已入库信息查询 (the region drill-down narrowing as a select changes,
// 仅本级直接监管, filters kept with the region, the detail of a stored version whose change is
// under review), its Excel export read back, 信息追踪 as the city that acted on everything, and
// 统计分析 as the province (census counts, server-drawn charts, drill-down, links to the lists).
const describeBrowser = browserAvailable ? describe : describe.skip;

/** 西湖区, 拱墅区 and 杭州市 itself (杭州市), 海曙区 (宁波市): the agencies that supervise. */
const XIHU = '330106';
const GONGSHU = '330105';
const HANGZHOU = '330100';
const ZHEJIANG = '330000';
const HAISHU = '330203';

const VALID_LICENCE = { safety_license_issued: '2024-01-01', safety_license_expires: chinaDay(700) };

/**
 * The systems, by key. Where each one ends up (the chain of 西湖区 is 西湖区 → 杭州市 → 浙江省 →
 * 总局):
 *   pond     西湖区  tailings     stored (v1, 现状坝高 31.5), then a change (v2, 33.8) submitted:
 *                                 pending at 西湖区 — still counted and listed as stored
 *   ironMine 西湖区  underground  stored
 *   quarry   西湖区  open_pit     approved by 西湖区 and 杭州市: pending at 浙江省
 *   copper   西湖区  underground  up to 浙江省, returned by it to 杭州市, by 杭州市 to 西湖区
 *   gravel   西湖区  open_pit     returned by 杭州市 to 西湖区, by 西湖区 to the enterprise
 *   gongshu  拱墅区  open_pit     stored
 *   cityPond 杭州市  tailings     stored (supervised by the city itself)
 *   ningbo   海曙区  underground  stored
 *   haishuQ  海曙区  open_pit     submitted: pending at 海曙区
 *   haishuD  海曙区  tailings     a draft never submitted
 */
const NAMES = {
  pond: '西湖龙井尾矿库',
  ironMine: '西湖铁矿地下开采系统',
  quarry: '西湖转塘建筑石料矿',
  copper: '西湖双浦铜矿地下开采系统',
  gravel: '西湖周浦砂石矿',
  gongshu: '拱墅半山石料矿',
  cityPond: '杭州上城尾矿库',
  ningbo: '宁波海曙铁矿地下开采系统',
  haishuQ: '海曙章水石料矿',
  haishuD: '海曙龙观尾矿库',
} as const;
type Key = keyof typeof NAMES;

describeBrowser('regulator query pages in Chromium', () => {
  let rig: BrowserRig;
  const ids = {} as Record<Key, number>;
  const pages: Page[] = [];

  /** An enterprise supervised by the agency, located in `regionCode`, and its acting user. */
  async function enterprise(supervisingCode: string, regionCode: string, name: string) {
    const e = await createEnterprise(rig.t, { supervisingCode, regionCode, name });
    return { ...e, user: await actingUser(rig.t, e.userId) };
  }

  /** A filing brought to `to` by the filing driver, then returned by each agency of `returns`. */
  async function system(
    key: Key,
    ent: Awaited<ReturnType<typeof enterprise>>,
    category: Category,
    regionCode: string,
    to: FilingTarget,
    returns: string[] = [],
    overrides: Record<string, string> = {},
  ): Promise<void> {
    const { id } = await fileThrough(rig.t, to, {
      enterprise: ent,
      category,
      overrides: { ...VALID_LICENCE, region_code: regionCode, name: NAMES[key], ...overrides },
    });
    ids[key] = id;
    for (const code of returns)
      await rig.t.services.workflow.return((await reviewer(rig.t, code)).user, id, `请核实（${code}）`);
  }

  beforeAll(async () => {
    rig = await startRig();
    const xihu = await enterprise(XIHU, XIHU, '杭州西湖龙井矿业有限公司');
    const gongshu = await enterprise(GONGSHU, GONGSHU, '杭州半山建材有限公司');
    const city = await enterprise(HANGZHOU, '330102', '杭州上城矿业有限公司');
    const haishu = await enterprise(HAISHU, HAISHU, '宁波海曙矿业有限公司');

    await system('pond', xihu, 'tailings', XIHU, 'stored', [], { current_dam_height: '31.5' });
    await system('ironMine', xihu, 'underground', XIHU, 'stored');
    await system('quarry', xihu, 'open_pit', XIHU, 'pending@province');
    await system('copper', xihu, 'underground', XIHU, 'pending@province', [ZHEJIANG, HANGZHOU]);
    await system('gravel', xihu, 'open_pit', XIHU, 'pending@city', [HANGZHOU, XIHU]);
    await system('gongshu', gongshu, 'open_pit', GONGSHU, 'stored');
    await system('cityPond', city, 'tailings', '330102', 'stored');
    await system('ningbo', haishu, 'underground', HAISHU, 'stored');
    await system('haishuQ', haishu, 'open_pit', HAISHU, 'submitted');
    await system('haishuD', haishu, 'tailings', HAISHU, 'draft');

    // 变更 of the stored pond: a new 现状坝高, submitted, waiting at 西湖区.
    const { workflow } = rig.t.services;
    await workflow.reopen(xihu.user, ids.pond);
    const changed = validateSystem(
      'tailings',
      {
        ...exampleSystemData('tailings'),
        ...VALID_LICENCE,
        region_code: XIHU,
        name: NAMES.pond,
        current_dam_height: '33.8',
      },
      'draft',
    );
    await systemsRepo(rig.t.knex).updateDraft(ids.pond, NAMES.pond, changed.data);
    await workflow.submit(xihu.user, ids.pond);
  }, 60000);

  afterAll(async () => {
    for (const p of pages) await p.context().close();
    await rig?.close();
  });

  /** Signs the agency's regulator in (lands on 待审核) and opens a 统计与查询 page from the menu. */
  async function open(agencyCode: string, menu: string, path: string): Promise<Page> {
    const { username } = await reviewer(rig.t, agencyCode);
    const page = await signIn(rig, username, PASSWORD);
    pages.push(page);
    // Fail with Playwright's message, well before jest's own 30 s limit.
    page.setDefaultTimeout(10_000);
    await Promise.all([
      page.waitForURL((u) => u.pathname === path),
      page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: menu }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe(menu);
    return page;
  }

  const names = (...keys: Key[]) => keys.map((k) => NAMES[k]).sort();
  const storedNames = async (page: Page) =>
    (await page.locator('table.stored-table tbody td.st-name > a').allTextContents()).sort();
  const totalText = async (page: Page) =>
    ((await page.locator('.list-meta > span').first().textContent()) ?? '').replace(/\s+/g, ' ');
  const query = (page: Page) => new URL(page.url()).searchParams;

  /** Clicks the link and returns the download, read back as a workbook. */
  async function exportBook(page: Page): Promise<{ download: Download; book: ExcelJS.Workbook }> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 Excel' }).click(),
    ]);
    expect(await download.failure()).toBeNull();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    return { download, book };
  }

  /** Each sheet as its system names (first column below the header). */
  const sheetNames = (book: ExcelJS.Workbook): Record<string, string[]> =>
    Object.fromEntries(
      book.worksheets.map((ws) => {
        const rows: string[] = [];
        for (let r = 2; r <= ws.rowCount; r++) rows.push(String(ws.getRow(r).getCell(1).value));
        return [ws.name, rows.sort()];
      }),
    );

  it('已入库信息查询: the region narrows as it is chosen, filters keep it, the export and the detail follow', async () => {
    const page = await open(ZHEJIANG, '已入库信息查询', '/stored');
    // The whole province: every stored system of 浙江, the change under review included.
    expect(await storedNames(page)).toEqual(names('pond', 'ironMine', 'gongshu', 'cityPond', 'ningbo'));
    expect(await totalText(page)).toBe('共 5 条');
    await expect(page.getByLabel('区县').count()).resolves.toBe(0);
    // With JavaScript the hint says the next level comes by itself.
    await expect(page.locator('.st-filter-hint').textContent()).resolves.toBe(
      '地区逐级选择：选定后自动显示下一级。',
    );
    const pondRow = page.locator('table.stored-table tbody tr', { hasText: NAMES.pond });
    await expect(pondRow.locator('.tag').textContent()).resolves.toBe('变更审核中');
    await expect(pondRow.locator('td.num').textContent()).resolves.toBe('v1');
    await shot(page, 'queries-stored-province');

    // Choosing 杭州市 reloads the list at once (no 查询 pressed) and offers its counties.
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('city') === HANGZHOU),
      page.getByLabel('地市').selectOption({ label: '杭州市' }),
    ]);
    await expect(page.getByLabel('地市').inputValue()).resolves.toBe(HANGZHOU);
    await expect(page.getByLabel('区县').locator('option', { hasText: '西湖区' }).count()).resolves.toBe(1);
    expect(await storedNames(page)).toEqual(names('pond', 'ironMine', 'gongshu', 'cityPond'));
    expect(await totalText(page)).toBe('共 4 条（已按查询条件筛选）');
    await shot(page, 'queries-stored-hangzhou');

    // The export is the list on screen: one sheet per category present, the same systems.
    const all = await exportBook(page);
    expect(all.download.suggestedFilename()).toMatch(/^已入库信息-杭州市-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(sheetNames(all.book)).toEqual({
      金属非金属地下矿山: names('ironMine'),
      金属非金属露天矿山: names('gongshu'),
      尾矿库: names('pond', 'cityPond'),
    });
    expect(all.book.worksheets.map((w) => w.name)).toEqual([
      '金属非金属地下矿山',
      '金属非金属露天矿山',
      '尾矿库',
    ]);
    // The pond's row holds its stored version, not the change under review.
    const ponds = all.book.getWorksheet('尾矿库')!;
    // Row values are 1-based (index 0 is empty): the index found is the cell's column number.
    const header = (ponds.getRow(1).values as unknown[]).map(String);
    const pondLine = [2, 3].map((r) => ponds.getRow(r)).find((r) => r.getCell(1).value === NAMES.pond)!;
    expect(pondLine.getCell(header.indexOf('现状坝高（m）')).value).toBe(31.5);

    // 仅本级直接监管: only what 杭州市 supervises itself.
    await page.getByRole('checkbox', { name: '仅本级直接监管' }).check();
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('direct') === '1'),
      page.getByRole('button', { name: '查询' }).click(),
    ]);
    expect(await storedNames(page)).toEqual(names('cityPond'));
    expect(await totalText(page)).toBe('共 1 条（已按查询条件筛选）');
    await expect(page.getByRole('checkbox', { name: '仅本级直接监管' }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('地市').inputValue()).resolves.toBe(HANGZHOU);
    await shot(page, 'queries-stored-direct');

    // A category, the box cleared: the region stays in the URL and in the selects.
    await page.getByRole('checkbox', { name: '仅本级直接监管' }).uncheck();
    await page.getByLabel('类别').selectOption({ label: '尾矿库' });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('category') === 'tailings'),
      page.getByRole('button', { name: '查询' }).click(),
    ]);
    expect(query(page).get('city')).toBe(HANGZHOU);
    expect(query(page).get('direct')).toBeNull();
    // Only what was chosen is in the URL (fields left at 全部 or empty are not), ready to share.
    expect([...query(page).keys()].sort()).toEqual(['category', 'city']);
    expect(await storedNames(page)).toEqual(names('pond', 'cityPond'));
    expect(await totalText(page)).toBe('共 2 条（已按查询条件筛选）');
    // The tailings-only filters come with the category.
    await expect(page.getByLabel('安全度').count()).resolves.toBe(1);

    const ponly = await exportBook(page);
    expect(ponly.download.suggestedFilename()).toMatch(/^已入库信息-[^-]+-尾矿库-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(sheetNames(ponly.book)).toEqual({ 尾矿库: names('pond', 'cityPond') });

    // A county chosen on top: the category is kept, the county's own systems remain.
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('county') === XIHU),
      page.getByLabel('区县').selectOption({ label: '西湖区' }),
    ]);
    expect(query(page).get('city')).toBe(HANGZHOU);
    expect(query(page).get('category')).toBe('tailings');
    expect([...query(page).keys()].sort()).toEqual(['category', 'city', 'county']);
    await expect(page.getByLabel('类别').inputValue()).resolves.toBe('tailings');
    expect(await storedNames(page)).toEqual(names('pond'));
    expect(await totalText(page)).toBe('共 1 条（已按查询条件筛选）');
    // A county has no subordinates to leave out.
    await expect(page.getByRole('checkbox', { name: '仅本级直接监管' }).count()).resolves.toBe(0);
    await shot(page, 'queries-stored-county-tailings');

    // The detail shows the stored version (v1) while the change (v2) is under review.
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/stored/${ids.pond}`),
      page.getByRole('link', { name: `${NAMES.pond} 详情` }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe(NAMES.pond);
    await expect(page.locator('.st-head .tag').allTextContents()).resolves.toEqual(['已入库', '变更审核中']);
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      '该系统的变更正在填报/审核中，此处显示的是已入库版本',
    );
    const facts = page.getByRole('region', { name: '入库信息' });
    await expect(facts.locator('div', { hasText: '入库版本' }).locator('dd').textContent()).resolves.toBe(
      '第 1 版',
    );
    await expect(facts.locator('div', { hasText: '所在地区' }).locator('dd').textContent()).resolves.toBe(
      '浙江省杭州市西湖区',
    );
    await expect(page.getByRole('heading', { name: '已入库版本填报信息（第 1 版）' }).count()).resolves.toBe(
      1,
    );
    await expect(page.locator('#field-current_dam_height dd').textContent()).resolves.toMatch(/^31\.5\b/);
    // The history: the first filing up to storage, then the change and its submission.
    const history = page.locator('table.history-table');
    await expect(columnTexts(history, '操作')).resolves.toEqual([
      '企业提交',
      '审核通过',
      '审核通过',
      '审核通过',
      '审核通过（入库）',
      '发起变更',
      '企业提交（变更）',
    ]);
    await expect(columnTexts(history, '版本').then((v) => v[v.length - 1])).resolves.toBe('v2');
    await shot(page, 'queries-stored-detail');
  });

  it('信息追踪: the city sees where each system it acted on is now', async () => {
    const page = await open(HANGZHOU, '信息追踪', '/tracking');
    await expect(page.locator('nav.st-chips a').allTextContents()).resolves.toEqual([
      '全部 7',
      '本级待处理 0',
      '上级待审核 1',
      '已退回下级 1',
      '下级审核中 1',
      '已退回企业 1',
      '已入库 3',
    ]);
    expect(await totalText(page)).toBe('共 7 条');
    const rows = await page.locator('table.tracking-table tbody tr').all();
    expect(rows).toHaveLength(7);
    const seen: Record<string, [string, string]> = {};
    for (const row of rows)
      seen[(await row.locator('td.st-name').textContent()) ?? ''] = [
        (await row.locator('.tag').first().textContent()) ?? '',
        (await row.locator('td').nth(4).textContent()) ?? '',
      ];
    expect(seen).toEqual({
      [NAMES.pond]: ['下级审核中', '西湖区安全生产监督管理局（企业提交）'],
      [NAMES.ironMine]: ['已入库', '已入库'],
      [NAMES.gongshu]: ['已入库', '已入库'],
      [NAMES.cityPond]: ['已入库', '已入库'],
      [NAMES.quarry]: ['上级待审核', '浙江省安全生产监督管理局（下级报送）'],
      [NAMES.copper]: ['已退回下级', '西湖区安全生产监督管理局（上级退回）'],
      [NAMES.gravel]: ['已退回企业', '企业（已退回）'],
    });
    await shot(page, 'queries-tracking-list');

    // A chip narrows the list to its status.
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('status') === 'lower_returned'),
      page
        .locator('nav.st-chips')
        .getByRole('link', { name: /^已退回下级/ })
        .click(),
    ]);
    await expect(page.locator('table.tracking-table td.st-name').allTextContents()).resolves.toEqual([
      NAMES.copper,
    ]);
    await expect(page.locator('nav.st-chips [aria-current="true"]').textContent()).resolves.toBe(
      '已退回下级 1',
    );

    // The detail says where it is now and shows the reasons it came down with.
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/tracking/${ids.copper}`),
      page.getByRole('link', { name: `${NAMES.copper} 详情` }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe(NAMES.copper);
    await expect(page.locator('.st-head .tag').textContent()).resolves.toBe('已退回下级');
    const now = page.getByRole('region', { name: '当前状态' });
    await expect(now.locator('div', { hasText: '当前位置' }).locator('dd').textContent()).resolves.toBe(
      '西湖区安全生产监督管理局（上级退回）',
    );
    const reasons = await page.locator('table.history-table tbody tr.history-return').allTextContents();
    expect(reasons.map((r) => /请核实（\d+）/.exec(r)?.[0])).toEqual([
      `请核实（${ZHEJIANG}）`,
      `请核实（${HANGZHOU}）`,
    ]);
    await shot(page, 'queries-tracking-detail');

    // A stored row leads to the stored query's detail.
    await page.goBack();
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('status') === 'stored'),
      page
        .locator('nav.st-chips')
        .getByRole('link', { name: /^已入库/ })
        .click(),
    ]);
    const stored = page.locator('table.tracking-table tbody tr', { hasText: NAMES.gongshu });
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/stored/${ids.gongshu}`),
      stored.getByRole('link', { name: '入库信息' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe(NAMES.gongshu);
    await expect(page.locator('.st-head .tag').textContent()).resolves.toBe('已入库');
  });

  /** The census table row whose header reads `label`, as its cell texts. */
  const censusRowOf = (page: Page, label: string): Locator =>
    page
      .locator('table.stats-table tr')
      .filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  const cellsOf = async (row: Locator) => (await row.locator('td').allTextContents()).map((s) => s.trim());
  const STORED_COLUMN = 7;

  /** Follows a count link and checks that the list it opens holds that many systems. */
  async function followStoredCount(page: Page, row: Locator, expected: Key[], href: string): Promise<void> {
    const link = row.locator('td').nth(STORED_COLUMN).getByRole('link');
    await expect(link.textContent()).resolves.toBe(String(expected.length));
    await expect(link.getAttribute('href')).resolves.toBe(href);
    await Promise.all([page.waitForURL((u) => u.pathname === '/stored'), link.click()]);
    expect(await storedNames(page)).toEqual(names(...expected));
    expect(await totalText(page)).toBe(`共 ${expected.length} 条（已按查询条件筛选）`);
    await page.goBack();
  }

  it('统计分析: the province sees the census by city, the charts, and drills down to 杭州市', async () => {
    const page = await open(ZHEJIANG, '统计分析', '/stats');
    await expect(page.locator('.stat-tile').allTextContents()).resolves.toEqual([
      '已填报9',
      '审核中2',
      '已退回2',
      '已入库5',
      '入库率55.6%',
    ]);
    await expect(cellsOf(censusRowOf(page, '杭州市'))).resolves.toEqual(censusRow(7, [0, 0, 1, 0], 2, 4, 0));
    await expect(cellsOf(censusRowOf(page, '宁波市'))).resolves.toEqual(censusRow(2, [1, 0, 0, 0], 0, 1, 1));
    await expect(cellsOf(censusRowOf(page, '温州市'))).resolves.toEqual(censusRow(0, [0, 0, 0, 0], 0, 0, 0));
    await expect(cellsOf(censusRowOf(page, '合计'))).resolves.toEqual(censusRow(9, [1, 0, 1, 0], 2, 5, 1));
    // Eleven cities, nothing supervised by the province itself, the total.
    await expect(page.locator('table.stats-table tbody tr').count()).resolves.toBe(11);
    await expect(censusRowOf(page, '本级直接监管').count()).resolves.toBe(0);

    // The charts are drawn on the server as inline SVG, labelled in Chinese.
    const progress = page.locator('figure.chart-progress svg');
    await expect(progress.getAttribute('role')).resolves.toBe('img');
    await expect(progress.getAttribute('aria-label')).resolves.toBe('浙江省普查进度');
    const progressText = await progress.locator('text').allTextContents();
    for (const label of ['已入库', '审核中', '已退回', '未提交', '杭州市', '宁波市', '丽水市'])
      expect(progressText).toContain(label);
    expect((await progress.boundingBox())?.width).toBeGreaterThan(600);
    const categories = page.getByRole('region', { name: '按类别', exact: true });
    const categoryText = await categories.locator('svg text').allTextContents();
    for (const label of ['尾矿库', '金属非金属地下矿山', '金属非金属露天矿山', '2（40.0%）', '1（20.0%）'])
      expect(categoryText).toContain(label);
    await expect(
      page.getByRole('region', { name: '尾矿库', exact: true }).locator('svg').getAttribute('aria-label'),
    ).resolves.toBe('尾矿库安全度分布');
    await shot(page, 'queries-stats-province');

    // The 已入库 figure of 杭州市 opens a list of exactly those systems.
    await followStoredCount(
      page,
      censusRowOf(page, '杭州市'),
      ['pond', 'ironMine', 'gongshu', 'cityPond'],
      `/stored?region=${HANGZHOU}`,
    );
    // The 省级 figure opens the province's own pending list, narrowed to 杭州市.
    const atProvince = censusRowOf(page, '杭州市').locator('td').nth(3).getByRole('link');
    await Promise.all([page.waitForURL((u) => u.pathname === '/review'), atProvince.click()]);
    expect(query(page).get('region')).toBe(HANGZHOU);
    await expect(
      page.locator('table.review-table tbody td a', { hasText: NAMES.quarry }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('table.review-table tbody tr').count()).resolves.toBe(1);
    await page.goBack();

    // Drill down: the city's counties and what it supervises itself.
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('region') === HANGZHOU),
      censusRowOf(page, '杭州市').getByRole('link', { name: '杭州市', exact: true }).click(),
    ]);
    await expect(page.locator('.stats-trail li').allTextContents()).resolves.toEqual(['浙江省', '杭州市']);
    await expect(page.locator('.stats-trail [aria-current="page"]').textContent()).resolves.toBe('杭州市');
    await expect(cellsOf(censusRowOf(page, '西湖区'))).resolves.toEqual(censusRow(5, [0, 0, 1, 0], 2, 2, 0));
    await expect(cellsOf(censusRowOf(page, '拱墅区'))).resolves.toEqual(censusRow(1, [0, 0, 0, 0], 0, 1, 0));
    await expect(cellsOf(censusRowOf(page, '上城区'))).resolves.toEqual(censusRow(0, [0, 0, 0, 0], 0, 0, 0));
    await expect(cellsOf(censusRowOf(page, '本级直接监管'))).resolves.toEqual(
      censusRow(1, [0, 0, 0, 0], 0, 1, 0),
    );
    await expect(cellsOf(censusRowOf(page, '合计'))).resolves.toEqual(censusRow(7, [0, 0, 1, 0], 2, 4, 0));
    await expect(page.locator('figure.chart-progress svg').getAttribute('aria-label')).resolves.toBe(
      '杭州市普查进度',
    );
    await shot(page, 'queries-stats-hangzhou');
    await followStoredCount(
      page,
      censusRowOf(page, '西湖区'),
      ['pond', 'ironMine'],
      `/stored?region=${XIHU}`,
    );
    await followStoredCount(
      page,
      censusRowOf(page, '本级直接监管'),
      ['cityPond'],
      `/stored?region=${HANGZHOU}&direct=1`,
    );
    // Back up through the trail.
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/stats' && !u.search),
      page.locator('.stats-trail').getByRole('link', { name: '浙江省' }).click(),
    ]);
    await expect(cellsOf(censusRowOf(page, '合计'))).resolves.toEqual(censusRow(9, [1, 0, 1, 0], 2, 5, 1));

    // A narrower window: same page at 1024 wide, no sideways scrolling of the page itself.
    const narrow = await rig.browser.newContext({
      viewport: { width: 1024, height: 768 },
      locale: 'zh-CN',
      storageState: await page.context().storageState(),
    });
    const small = await narrow.newPage();
    pages.push(small);
    await small.goto(`${rig.base}/stats`);
    await expect(small.locator('h1').textContent()).resolves.toBe('统计分析');
    await expect(small.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(
      1024,
    );
    await shot(small, 'queries-stats-1024');
  });
});
