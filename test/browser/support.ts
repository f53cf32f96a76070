import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import axe from 'axe-core';
import { startTestApp, TEST_CAPTCHA, type TestApp } from '../support/app';
import { nextSecondFactorCode } from '../support/secondFactor';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, 'screenshots');

/** Browser tests need Debian's chromium (.ci/run installs it); elsewhere they say so and skip. */
export const browserAvailable = fs.existsSync(CHROMIUM);
if (!browserAvailable && process.env.CI)
  throw new Error(`browser tests need ${CHROMIUM} (apt-get install chromium)`);

export interface BrowserRig {
  t: TestApp;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The real app on a loopback port and a headless Chromium to drive it. */
export async function startRig(): Promise<BrowserRig> {
  const t = await startTestApp();
  const server: Server = await new Promise((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

/** A fresh browser window (own cookies) signed in as the user. Confirm dialogs are accepted. */
export async function signIn(rig: BrowserRig, username: string, password: string): Promise<Page> {
  const context = await rig.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${rig.base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByLabel('验证码').fill(TEST_CAPTCHA);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/login'),
    page.getByRole('button', { name: '登 录' }).click(),
  ]);
  // An account with a second factor (test/support/secondFactor.ts) types its app's code next.
  if (new URL(page.url()).pathname === '/login/second-factor') {
    await page.getByLabel('动态验证码或恢复码').fill(nextSecondFactorCode(username) ?? '');
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      page.getByRole('button', { name: '验 证' }).click(),
    ]);
  }
  return page;
}

/** axe-core's violations on the page as it is now (WCAG 2.x A/AA and best practices), as text. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') stays as it is.
  await page.evaluate(axe.source);
  const result = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] })",
  )) as axe.AxeResults;
  return result.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Every page a test looks at is screenshotted and held to axe-core: no violation at all. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(`axe-core on ${name} (${page.url()}):\n${violations.join('\n')}`);
}

/** The cells' texts of a table's column, found by its header's text (never by its position). */
export async function columnTexts(table: Locator, header: string): Promise<string[]> {
  const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
  const at = headers.indexOf(header);
  if (at < 0) throw new Error(`no column “${header}” among: ${headers.join(', ')}`);
  return table
    .locator('tbody tr')
    .evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent ?? ''), at);
}
