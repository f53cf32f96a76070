import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { axeViolations, browserAvailable, shot, signIn, startRig, type BrowserRig } from './support';
import { CHAIN, createAdmin, createRegulator, PASSWORD } from '../support/fixtures';
import { Visitor } from '../support/browser';

// 安全审计 in a real browser: the 审计管理员 finds the failed logins of one account (account and
// 结果 失败), opens one, and exports them; the page is axe-clean and fits 1024 and 1440 wide.
const describeBrowser = browserAvailable ? describe : describe.skip;

describeBrowser('安全审计 in Chromium', () => {
  let rig: BrowserRig;
  let target: string;
  const pages: Page[] = [];

  beforeAll(async () => {
    rig = await startRig();
    target = (await createRegulator(rig.t, CHAIN.county)).username;
    const other = (await createRegulator(rig.t, CHAIN.city)).username;
    await createAdmin(rig.t, 'auditor');
    // The events: three wrong passwords of the target, then its success; others' noise around it.
    for (const [name, password] of [
      [target, 'wrong-1'],
      [other, 'wrong-2'],
      [target, 'wrong-3'],
      [target, 'wrong-4'],
      [target, PASSWORD],
      [other, PASSWORD],
    ])
      await new Visitor(rig.t.app).login(name, password);
  });
  afterAll(async () => {
    for (const p of pages) await p.context().close();
    await rig?.close();
  });

  const rowsOf = (page: Page) =>
    page
      .locator('table.audit-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()),
        ),
      );

  it('finds the failed logins of one account and exports them', async () => {
    const page = await signIn(rig, 'auditor', PASSWORD);
    pages.push(page);
    expect(new URL(page.url()).pathname).toBe('/audit');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审计日志' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('安全审计');

    await page.getByLabel('账号', { exact: true }).fill(target);
    await page.getByLabel('结果').selectOption({ label: '失败' });
    await Promise.all([
      page.waitForURL(/result=failure/),
      page.getByRole('button', { name: '查询' }).click(),
    ]);
    const rows = await rowsOf(page);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r[2]).toBe('登录失败');
      expect(r[3]).toContain(target);
      expect(r[6]).toBe('失败');
      expect(r[7]).toBe('密码错误');
    }
    await expect(page.locator('.list-meta > span').first().textContent()).resolves.toMatch(/共 3 条记录/);
    await expect(axeViolations(page)).resolves.toEqual([]);
    await shot(page, 'audit-failed-logins-1440');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 Excel' }).click(),
    ]);
    expect(await download.failure()).toBeNull();
    expect(download.suggestedFilename()).toMatch(/^安全审计日志-全部-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const sheet = book.worksheets[0];
    const exported: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) exported.push((row.values as unknown[]).slice(1));
    });
    expect(exported.map((r) => String(r[0]))).toEqual(rows.map((r) => r[0]));
    expect(exported.every((r) => r[2] === '登录失败' && r[3] === target && r[8] === '失败')).toBe(true);

    // One of them in detail, and back to the same filtered list.
    await page.getByRole('link', { name: `审计记录 ${rows[0][0]} 详情` }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(`审计记录 ${rows[0][0]}`);
    await expect(page.locator('.audit-hashes dd').first().textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(axeViolations(page)).resolves.toEqual([]);
    await shot(page, 'audit-detail-1440');
    await page.getByRole('link', { name: '返回安全审计' }).click();
    expect(await rowsOf(page)).toHaveLength(3);

    // 1024 wide: the same list, no sideways scrolling of the page.
    const narrow = await rig.browser.newContext({
      viewport: { width: 1024, height: 768 },
      locale: 'zh-CN',
      storageState: await page.context().storageState(),
    });
    const small = await narrow.newPage();
    pages.push(small);
    await small.goto(page.url());
    expect(await rowsOf(small)).toHaveLength(3);
    await expect(small.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(
      1024,
    );
    await shot(small, 'audit-failed-logins-1024');
    await small.goto(`${rig.base}/audit`);
    await expect(small.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(
      1024,
    );
    await shot(small, 'audit-all-1024');
  });
});
