import type { Page } from 'playwright-core';
import { browserAvailable, shot, signIn, startRig, type BrowserRig } from './support';
import { createAdmin, PASSWORD } from '../support/fixtures';
import { totpCode } from '../support/secondFactor';
import { TEST_CAPTCHA } from '../support/app';

// 双因素 in a real browser: a 系统管理员 without a second factor is sent to enrol (QR code and
// secret), confirms with a code, is shown the recovery codes; the next login asks for the code.
// Every page is axe-clean and screenshotted at 1440 and 1024 wide.
const describeBrowser = browserAvailable ? describe : describe.skip;

describeBrowser('双因素 in Chromium', () => {
  let rig: BrowserRig;
  const pages: Page[] = [];

  beforeAll(async () => {
    rig = await startRig();
    await createAdmin(rig.t, 'sysadmin', { secondFactor: false });
    await createAdmin(rig.t, 'auditor'); // enrolled: 重置双因素 is offered on its row
  });
  afterAll(async () => {
    for (const p of pages) await p.context().close();
    await rig?.close();
  });

  /** The page at both widths: screenshotted and held to axe-core. */
  async function shotsOf(page: Page, name: string) {
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(page, `second-factor-${name}-${width}`);
    }
  }

  it('enrols at first login, then asks for the code at the next', async () => {
    const page = await signIn(rig, 'sysadmin', PASSWORD);
    pages.push(page);
    expect(new URL(page.url()).pathname).toBe('/account/second-factor');
    await expect(page.locator('h1').textContent()).resolves.toBe('绑定双因素认证');
    const qr = page.getByRole('img', { name: /二维码/ });
    const box = await qr.boundingBox();
    expect(box && box.width >= 180 && box.height >= 180).toBe(true);
    const secret = (await page.locator('.secret-text').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7 ]{20,}$/);
    await shotsOf(page, 'enrol');

    await page
      .getByRole('textbox', { name: '动态验证码' })
      .fill('000000' === totpCode(secret, new Date()) ? '111111' : '000000');
    await page.getByRole('button', { name: '确认绑定' }).click();
    await expect(page.locator('.field-message').textContent()).resolves.toContain('动态验证码不正确');
    await shotsOf(page, 'enrol-error');

    await page.getByRole('textbox', { name: '动态验证码' }).fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: '确认绑定' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('双因素认证已绑定');
    expect(await page.locator('ol.recovery-codes li').count()).toBe(8);
    await shotsOf(page, 'recovery-codes');

    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByLabel('用户名').fill('sysadmin');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByLabel('验证码').fill(TEST_CAPTCHA);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login/second-factor'),
      page.getByRole('button', { name: '登 录' }).click(),
    ]);
    await shotsOf(page, 'login-step');
    await page.getByLabel('动态验证码或恢复码').fill('12345');
    await page.getByRole('button', { name: '验 证' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('动态验证码或恢复码错误');
    await shotsOf(page, 'login-step-error');
    // The enrolment spent this step's code: the app's next one (one step of drift is accepted).
    await page.getByLabel('动态验证码或恢复码').fill(totpCode(secret, new Date(Date.now() + 30_000)));
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/admin/users'),
      page.getByRole('button', { name: '验 证' }).click(),
    ]);
    await expect(page.getByRole('button', { name: '重置双因素' }).count()).resolves.toBe(1);
    await shotsOf(page, 'admin-users');
  });
});
