import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, shot, startRig, type BrowserRig } from './support';
import { EnterpriseHomePage } from './pages';
import { TEST_CAPTCHA } from '../support/app';
import { agency, CHAIN } from '../support/fixtures';
import type { AgencyRow } from '../../src/data/org';
import { withCreditCodeCheck } from '../../src/domain/creditCode';
import { exampleSystemData, type FormInput } from '../../src/domain/systems';

// The enterprise side in a real browser: a new visitor registers (the region selects narrow in
// place, a wrong credit code is refused beside its field with everything else kept), creates a
// tailings pond, saves a draft, is stopped by a cross-field rule on submit, fixes it and submits;
// the pond is then 审核中 at the county agency and read-only to the enterprise. An underground
// mine then goes in straight from its new form.
const describeBrowser = browserAvailable ? describe : describe.skip;

const CREDIT_CODE = withCreditCodeCheck('91330106MA2HX7Q5K');
/** Same shape, wrong check character. */
const BAD_CREDIT_CODE = CREDIT_CODE.slice(0, 17) + (CREDIT_CODE[17] === '0' ? '1' : '0');
const ENTERPRISE_NAME = '杭州西湖龙坞矿业有限公司';
const USERNAME = 'longwu_mining';
const NEW_PASSWORD = 'Weikuang2026';

/** Fills a defined form from code-name → value, choosing the action by the element found. */
async function fillForm(page: Page, values: FormInput): Promise<void> {
  for (const [code, value] of Object.entries(values)) {
    if (code === 'region_code') {
      await pickRegion(page, String(value));
      continue;
    }
    if (Array.isArray(value)) {
      // Several of the listed values: one checkbox per option, all named by the code.
      const boxes = page.locator(`input[type=checkbox][name="${code}"]`);
      for (const box of await boxes.all()) await box.setChecked(value.includes(await box.inputValue()));
      continue;
    }
    const el = page.locator(`#${code}`);
    const kind = (await page.locator(`select#${code}`).count()) ? 'select' : await el.getAttribute('type');
    if (kind === 'select') await el.selectOption(value);
    else if (kind === 'radio') await page.locator(`input[name="${code}"][value="${value}"]`).check();
    else if (kind === 'checkbox') await el.setChecked(value === 'true');
    else await el.fill(value);
  }
}

/** What the form shows, read the same way: the values typed or stored must all be there. */
async function expectForm(page: Page, values: FormInput): Promise<void> {
  const shown: FormInput = {};
  for (const [code, value] of Object.entries(values)) {
    if (Array.isArray(value)) {
      const boxes = page.locator(`input[type=checkbox][name="${code}"]:checked`);
      shown[code] = await Promise.all((await boxes.all()).map((b) => b.inputValue()));
      continue;
    }
    if (await page.locator(`input[type=radio][name="${code}"]`).count()) {
      const on = page.locator(`input[type=radio][name="${code}"]:checked`);
      shown[code] = (await on.count()) ? await on.inputValue() : '';
    } else shown[code] = await page.locator(`#${code}`).inputValue();
  }
  expect(shown).toEqual(values);
}

/** The province → city → county selects, narrowed in place by filing.js. */
async function pickRegion(page: Page, county: string): Promise<void> {
  const province = `${county.slice(0, 2)}0000`;
  const city = `${county.slice(0, 4)}00`;
  // Choosing a level clears the levels below at once, so the next selectOption waits for the
  // fetched options instead of picking a stale one.
  if ((await page.locator('#region_province').inputValue()) !== province)
    await page.locator('#region_province').selectOption(province);
  if ((await page.locator('#region_city').inputValue()) !== city)
    await page.locator('#region_city').selectOption(city);
  await page.locator('#region_code').selectOption(county);
}

/** The text of the one flash notice (role=status) on the page. */
const notice = (page: Page) => page.getByRole('status').textContent();

describeBrowser('enterprise journey in Chromium', () => {
  let rig: BrowserRig;
  let context: BrowserContext;
  let chain: { county: AgencyRow; city: AgencyRow; province: AgencyRow };

  beforeAll(async () => {
    rig = await startRig();
    chain = {
      county: await agency(rig.t, CHAIN.county),
      city: await agency(rig.t, CHAIN.city),
      province: await agency(rig.t, CHAIN.province),
    };
  }, 60000);
  afterAll(async () => {
    await context?.close();
    await rig?.close();
  });

  it('registers, files a tailings pond as a draft, is stopped by a rule, then submits it', async () => {
    context = await rig.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());

    // 1. Registration: the region selects narrow in place (no page load) and the agency select
    // then offers exactly the agencies of the chosen county's chain.
    await page.goto(`${rig.base}/register`);
    await expect(page.locator('h1').textContent()).resolves.toBe('企业注册');
    await page.evaluate(() => Object.assign(globalThis, { samePage: true }));
    expect(await page.locator('#region_city').isDisabled()).toBe(true);
    await expect(page.locator('#supervising_agency_id option').allTextContents()).resolves.toEqual([
      '请先选择所在行政区划',
    ]);
    expect(await page.getByRole('button', { name: '刷新下级列表' }).isVisible()).toBe(false);
    await page.getByLabel('省（自治区、直辖市）').selectOption({ label: '浙江省' });
    await page.getByLabel('市（地区、州）').selectOption({ label: '杭州市' });
    const cities = await page.locator('#region_city option').allTextContents();
    expect(cities).toEqual(expect.arrayContaining(['杭州市', '宁波市', '衢州市']));
    expect(cities).not.toContain('南京市');
    await page.getByLabel('县（市、区）').selectOption({ label: '西湖区' });
    const counties = await page.locator('#region_code option').allTextContents();
    expect(counties).toEqual(expect.arrayContaining(['西湖区', '余杭区']));
    expect(counties).not.toContain('龙游县');
    const local = page.locator('#supervising_agency_id optgroup[label="所在地区安监部门"]');
    await local.waitFor({ state: 'attached' });
    await expect(local.locator('option').allTextContents()).resolves.toEqual([
      chain.county.name,
      chain.city.name,
      chain.province.name,
    ]);
    // The offshore units only for an offshore operator, and then only they.
    const groups = () =>
      page
        .locator('#supervising_agency_id optgroup')
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('label')));
    await expect(groups()).resolves.toEqual(['所在地区安监部门']);
    await page.getByLabel('海洋石油天然气作业者').check();
    await page
      .locator('#supervising_agency_id optgroup[label="海洋石油作业安全监管"]')
      .waitFor({ state: 'attached' });
    await expect(groups()).resolves.toEqual(['海洋石油作业安全监管']);
    await page.getByLabel('海洋石油天然气作业者').uncheck();
    await local.waitFor({ state: 'attached' });
    await expect(groups()).resolves.toEqual(['所在地区安监部门']);
    await page.getByLabel('直接监管部门').selectOption({ label: chain.county.name });
    expect(await page.evaluate(() => (globalThis as { samePage?: boolean }).samePage)).toBe(true);

    await page.getByLabel('统一社会信用代码').fill(BAD_CREDIT_CODE);
    await page.getByLabel('企业名称').fill(ENTERPRISE_NAME);
    await page.getByLabel('经济类型').selectOption({ label: '有限责任公司' });
    await page.getByLabel('隶属关系').selectOption({ label: '县' });
    await page.getByLabel('法定代表人').fill('周建国');
    await page.getByLabel('安全负责人').fill('陈立新');
    await page.getByLabel('联系人').fill('吴晓燕');
    await page.getByLabel('联系电话').fill('0571-87990123');
    await page.getByLabel('手机').fill('13957100123');
    await page.getByLabel('通讯地址').fill('浙江省杭州市西湖区转塘街道龙坞路 18 号');
    await page.getByLabel('邮政编码').fill('310024');
    await page.getByLabel('用户名').fill(USERNAME);
    await page.getByLabel(/^密码/).fill(NEW_PASSWORD);
    await page.getByLabel('确认密码').fill(NEW_PASSWORD);
    await page.getByRole('textbox', { name: '验证码' }).fill(TEST_CAPTCHA);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: '注册并登录', exact: true }).click(),
    ]);

    // 2. Refused beside the field, in Chinese; the summary names only it; the rest is kept.
    expect(new URL(page.url()).pathname).toBe('/register');
    await expect(page.locator('#field-credit_code .field-message').textContent()).resolves.toBe(
      '统一社会信用代码校验位不正确',
    );
    expect(await page.getByLabel('统一社会信用代码').getAttribute('aria-invalid')).toBe('true');
    await expect(page.locator('.error-summary h2').textContent()).resolves.toBe('填写的内容有 1 处需要修改');
    await expect(page.locator('.error-summary a').getAttribute('href')).resolves.toBe('#credit_code');
    await expect(page.getByLabel('统一社会信用代码').inputValue()).resolves.toBe(BAD_CREDIT_CODE);
    await expect(page.getByLabel('企业名称').inputValue()).resolves.toBe(ENTERPRISE_NAME);
    await expect(page.getByLabel('联系电话').inputValue()).resolves.toBe('0571-87990123');
    await expect(page.getByLabel('经济类型').inputValue()).resolves.toBe('150');
    expect(
      await Promise.all(
        ['#region_province', '#region_city', '#region_code', '#supervising_agency_id'].map((s) =>
          page.locator(s).inputValue(),
        ),
      ),
    ).toEqual([CHAIN.province, CHAIN.city, CHAIN.county, String(chain.county.id)]);
    await shot(page, 'enterprise-register-error');

    // Fixed (passwords and captcha are never sent back, so typed again): registered, signed in.
    await page.getByLabel('统一社会信用代码').fill(CREDIT_CODE);
    await page.getByLabel(/^密码/).fill(NEW_PASSWORD);
    await page.getByLabel('确认密码').fill(NEW_PASSWORD);
    await page.getByRole('textbox', { name: '验证码' }).fill(TEST_CAPTCHA);
    await Promise.all([
      page.waitForURL(`${rig.base}/enterprise`),
      page.getByRole('button', { name: '注册并登录', exact: true }).click(),
    ]);
    await expect(notice(page)).resolves.toBe('注册成功，已为您登录。请新建生产系统开始填报。');
    const summary = (await page.locator('.enterprise-summary').textContent()) ?? '';
    for (const text of [ENTERPRISE_NAME, CREDIT_CODE, chain.county.name]) expect(summary).toContain(text);
    await expect(page.locator('.empty-state').textContent()).resolves.toContain('还没有填报任何独立生产系统');
    await shot(page, 'enterprise-registered-home');

    // 3. A new tailings pond from the home page, filled from the category's example: a draft.
    await Promise.all([
      page.waitForURL(/\/enterprise\/systems\/new\?category=tailings$/),
      page.getByRole('link', { name: '新建尾矿库' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('新建尾矿库');
    await expect(page.locator('.form-actions .hint').textContent()).resolves.toBe(
      `提交后由“${chain.county.name}”审核。`,
    );
    const example = exampleSystemData('tailings');
    await fillForm(page, example);
    // The proposed grade follows design capacity (156 万m³) and dam height (48 m): 四等.
    await expect(page.locator('#grade-note').textContent()).resolves.toBe(
      '按设计总库容和设计总坝高计算应为四等（一等库须经专家论证确定）。',
    );
    await shot(page, 'enterprise-new-tailings-filled');
    await Promise.all([
      page.waitForURL(/\/enterprise\/systems\/\d+$/),
      page.getByRole('button', { name: '保存草稿', exact: true }).click(),
    ]);
    const systemUrl = page.url();
    await expect(notice(page)).resolves.toBe('草稿已保存。填写完整后可提交审核。');
    await expect(page.locator('h1').textContent()).resolves.toBe(example.name);
    await expect(page.locator('.status-box .tag').textContent()).resolves.toBe('草稿');
    await expectForm(page, example);
    await shot(page, 'enterprise-draft-saved');

    // 4. Current dam height above the design height: submit refused beside that field, the
    // typed values kept, still a draft.
    const broken = { ...example, current_dam_height: '52', employees: '130' };
    await fillForm(page, { current_dam_height: broken.current_dam_height, employees: broken.employees });
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: '提交审核', exact: true }).click(),
    ]);
    await expect(page.locator('#field-current_dam_height .field-message').textContent()).resolves.toBe(
      '现状坝高不能大于设计总坝高',
    );
    expect(await page.locator('#current_dam_height').getAttribute('aria-invalid')).toBe('true');
    await expect(page.locator('.error-summary h2').textContent()).resolves.toBe('填写的内容有 1 处需要修改');
    await expect(page.locator('.status-box .tag').textContent()).resolves.toBe('草稿');
    await expectForm(page, broken);
    await shot(page, 'enterprise-submit-refused');

    await page.locator('#current_dam_height').fill('36.5');
    await Promise.all([
      page.waitForURL(systemUrl),
      page.getByRole('button', { name: '提交审核', exact: true }).click(),
    ]);
    await expect(notice(page)).resolves.toBe(
      '已提交审核。审核期间不能修改；审核结果将在首页“站内消息”中通知。',
    );
    await expect(page.locator('.status-box .tag').textContent()).resolves.toBe('审核中');
    await expect(page.locator('.status-box').textContent()).resolves.toContain(
      `${chain.county.name}（企业提交）`,
    );
    // Read-only now: the submitted version is shown, no form and no button to change it.
    await expect(page.locator('#frozen-title').textContent()).resolves.toMatch(/^已提交的内容（第 1 版/);
    await expect(page.locator('#field-current_dam_height dd').textContent()).resolves.toBe('36.5 m');
    await expect(page.locator('#field-employees dd').textContent()).resolves.toBe('130 人');
    expect(await page.locator('form.system-form').count()).toBe(0);
    expect(await page.locator('input#current_dam_height').count()).toBe(0);
    for (const name of ['保存草稿', '提交审核', '发起变更'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await shot(page, 'enterprise-submitted-readonly');

    // The server refuses a save anyway (a stale tab, a hand-made POST) and nothing changes.
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const refused = await page.request.post(systemUrl, {
      form: { _csrf: csrf, category: 'tailings', name: example.name as string, current_dam_height: '40' },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(409);
    await page.reload();
    await expect(page.locator('#field-current_dam_height dd').textContent()).resolves.toBe('36.5 m');

    // The home page lists it as under review at the county agency.
    await page.goto(`${rig.base}/enterprise`);
    const home = new EnterpriseHomePage(page);
    await expect(home.stateOf(example.name as string)).resolves.toBe('审核中（西湖区安监局）');
    await expect(home.cellsOf(example.name as string, ['类别', '版本', '操作'])).resolves.toEqual([
      '尾矿库',
      '第 1 版',
      '查看',
    ]);
    await shot(page, 'enterprise-home-pending');

    // 5. An underground mine, filled in and submitted straight from the new form.
    await Promise.all([
      page.waitForURL(/\/enterprise\/systems\/new\?category=underground$/),
      page.getByRole('link', { name: '新建金属非金属地下矿山' }).click(),
    ]);
    const mine = exampleSystemData('underground');
    await fillForm(page, mine);
    await Promise.all([
      page.waitForURL(/\/enterprise\/systems\/\d+$/),
      page.getByRole('button', { name: '保存并提交审核', exact: true }).click(),
    ]);
    await expect(page.locator('.status-box .tag').textContent()).resolves.toBe('审核中');
    await expect(page.locator('#frozen-title').textContent()).resolves.toMatch(/^已提交的内容（第 1 版/);
    await page.goto(`${rig.base}/enterprise`);
    for (const name of [example.name, mine.name] as string[])
      await expect(new EnterpriseHomePage(page).stateOf(name)).resolves.toBe('审核中（西湖区安监局）');
  }, 60000);
});
