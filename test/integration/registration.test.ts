import { startTestApp, TEST_CAPTCHA, type TestApp } from '../support/app';
import { Visitor, type Form } from '../support/browser';
import { agency, CHAIN, createRegulator, nextCreditCode, PASSWORD } from '../support/fixtures';
import { exampleEnterpriseData } from '../../src/domain/enterprise';

let t: TestApp;
let countyId: number;

beforeAll(async () => {
  t = await startTestApp();
  countyId = (await agency(t, CHAIN.county)).id;
});
afterAll(async () => t.close());

let serial = 0;
/** A complete registration as the browser posts it (region chosen by its code). */
function registration(overrides: Form = {}): Form {
  serial++;
  return {
    ...exampleEnterpriseData({
      credit_code: nextCreditCode(),
      username: `regtest${serial}`,
      region_code: CHAIN.county,
      supervising_agency_id: String(countyId),
    }),
    captcha: TEST_CAPTCHA,
    ...overrides,
  };
}

/** Opens the form (and its captcha image, which sets the answer) and posts it. */
async function register(v: Visitor, form: Form) {
  await v.get('/register');
  await v.get('/captcha');
  return v.post('/register', form, '/register');
}

const count = async (table: string) => Number((await t.knex(table).count('* as n').first())?.n ?? 0);

describe('GET /register', () => {
  it('is public and shows every registration field with the region selects', async () => {
    const page = await new Visitor(t.app).get('/register');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>企业注册</h1>');
    for (const name of [
      'credit_code',
      'name',
      'economic_type',
      'affiliation',
      'parent_group',
      'ownerless',
      'legal_rep',
      'safety_head',
      'contact_name',
      'contact_phone',
      'contact_mobile',
      'email',
      'address',
      'postcode',
      'region_province',
      'region_city',
      'region_code',
      'supervising_agency_id',
      'username',
      'password',
      'password_confirm',
      'captcha',
    ])
      expect(page.text).toContain(`name="${name}"`);
    expect(page.text).toContain('<option value="330000">浙江省</option>');
    expect(page.text).toContain('<option value="150">有限责任公司</option>');
    expect(page.text).toContain('无主尾矿库（政府部门代填）');
  });

  it('narrows province → city → county without JavaScript, keeping what was typed', async () => {
    const v = new Visitor(t.app);
    const typed = { name: '某某矿业有限公司', contact_name: '张三', password: 'Secret123x' };
    const cities = await v.post('/register', { ...typed, region_province: '330000', _refresh: 'region' });
    expect(cities.status).toBe(200);
    expect(cities.text).toContain('<option value="330100">杭州市</option>');
    expect(cities.text).toContain('value="某某矿业有限公司"');
    expect(cities.text).toContain('value="张三"');
    expect(cities.text).not.toContain('Secret123x'); // passwords are never echoed

    const counties = await v.post('/register', {
      ...typed,
      region_province: '330000',
      region_city: '330100',
      _refresh: 'region',
    });
    expect(counties.text).toContain('<option value="330106">西湖区</option>');

    const agencies = await v.post('/register', {
      region_province: '330000',
      region_city: '330100',
      region_code: '330106',
      _refresh: 'region',
    });
    // The agencies of the chain (not the national root); the offshore units only for an offshore operator.
    for (const name of ['西湖区安全生产监督管理局', '杭州市安全生产监督管理局', '浙江省安全生产监督管理局'])
      expect(agencies.text).toContain(name);
    expect(agencies.text).not.toContain('>国家安全生产监督管理总局<');
    expect(agencies.text).not.toContain('天津监督处');
    expect(agencies.text).toContain('已选择：浙江省杭州市西湖区');
    const offshore = await v.post('/register', {
      region_province: '330000',
      region_city: '330100',
      region_code: '330106',
      offshore_operator: 'true',
      _refresh: 'region',
    });
    expect(offshore.text).toContain('天津监督处');
    expect(offshore.text).not.toContain('西湖区安全生产监督管理局</option>');
    // Before a county is chosen, nothing to choose from: the list says what to do first.
    const empty = await v.get('/register');
    expect(empty.text).toContain('<option value="">请先选择所在行政区划</option>');
    expect(empty.text).not.toContain('天津监督处');
  });

  it('chooses the only city of a municipality at once and drops a stale lower level', async () => {
    const v = new Visitor(t.app);
    const beijing = await v.post('/register', { region_province: '110000', _refresh: 'region' });
    expect(beijing.text).toMatch(/<option value="110000" selected>北京市所辖区、县<\/option>/);
    expect(beijing.text).toContain('<option value="110101">东城区</option>');
    // 西湖区 left over after switching to 北京: the county list is 北京's and nothing is chosen.
    const stale = await v.post('/register', {
      region_province: '110000',
      region_city: '330100',
      region_code: '330106',
      _refresh: 'region',
    });
    expect(stale.text).not.toContain('value="330106" selected');
  });

  it('serves the lists to the JavaScript that narrows them', async () => {
    const v = new Visitor(t.app);
    const cities = await v.get('/register/regions?parent=330000&level=city');
    expect(cities.status).toBe(200);
    expect(cities.body.options).toContainEqual({ value: '330100', label: '杭州市' });
    const counties = await v.get('/register/regions?parent=330100&level=county');
    expect(counties.body.options).toContainEqual({ value: '330106', label: '西湖区' });
    const agencies = await v.get('/register/agencies?region=650102');
    const labels = agencies.body.groups.flatMap((g: { options: { label: string }[] }) =>
      g.options.map((o) => o.label),
    );
    expect(labels).toContain('新疆生产建设兵团安全生产监督管理局');
    expect((await v.get('/register/regions?parent=abc&level=city')).status).toBe(400);
    expect((await v.get('/register/regions?parent=330000&level=street')).status).toBe(400);
    expect((await v.get('/register/agencies?region=')).status).toBe(400);
    const offshore = await v.get('/register/agencies?region=&offshore=1');
    expect(offshore.status).toBe(200);
    expect(JSON.stringify(offshore.body)).toContain('天津监督处');
  });
});

describe('POST /register', () => {
  it('creates the enterprise and its user in one go and logs the user in', async () => {
    const v = new Visitor(t.app);
    const form = registration({ region_province: '330000', region_city: '330100', region_code: '330106' });
    const res = await register(v, form);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/enterprise');
    const home = await v.get('/enterprise');
    expect(home.status).toBe(200);
    expect(home.text).toContain('注册成功');
    expect(home.text).toContain(String(form.name));

    const enterprise = await t.knex('enterprises').where({ credit_code: form.credit_code }).first();
    expect(enterprise).toMatchObject({
      region_code: '330106',
      supervising_agency_id: countyId,
      ownerless: false,
    });
    const user = await t.knex('users').where({ username: form.username }).first();
    expect(user).toMatchObject({
      role: 'enterprise',
      enterprise_id: enterprise.id,
      must_change_password: false,
    });
    // The password chosen works at the login page.
    await v.post('/logout', {}, '/enterprise');
    const login = await new Visitor(t.app).login(String(form.username), String(form.password));
    expect(login.status).toBe(302);
  });

  it('accepts a lower-case credit code and stores it upper-case', async () => {
    const code = nextCreditCode();
    const res = await register(new Visitor(t.app), registration({ credit_code: code.toLowerCase() }));
    expect(res.status).toBe(302);
    expect(await t.knex('enterprises').where({ credit_code: code }).first()).toBeTruthy();
  });

  it('refuses a credit code that is already registered, creating nothing', async () => {
    const form = registration();
    expect((await register(new Visitor(t.app), form)).status).toBe(302);
    const [enterprises, users] = [await count('enterprises'), await count('users')];
    const again = await register(new Visitor(t.app), { ...form, username: 'someoneelse1' });
    expect(again.status).toBe(422);
    expect(again.text).toContain('该统一社会信用代码已注册');
    expect(again.text).toContain('value="someoneelse1"');
    expect([await count('enterprises'), await count('users')]).toEqual([enterprises, users]);
  });

  it('refuses a wrong check character and a taken username', async () => {
    const good = nextCreditCode();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await register(new Visitor(t.app), registration({ credit_code: bad }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('统一社会信用代码校验位不正确');

    const first = registration();
    await register(new Visitor(t.app), first);
    const taken = await register(new Visitor(t.app), registration({ username: first.username }));
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('该用户名已被使用');
  });

  it('refuses a supervising agency that is not on the region chain', async () => {
    const otherCounty = await agency(t, '330102'); // 上城区, not 西湖区's chain
    const national = await agency(t, CHAIN.national);
    const xpcc = await agency(t, 'XPCC');
    for (const wrong of [otherCounty, national, xpcc]) {
      const res = await register(
        new Visitor(t.app),
        registration({ supervising_agency_id: String(wrong.id) }),
      );
      expect(res.status).toBe(422);
      expect(res.text).toContain('直接监管部门应为所在县、市、省级安监部门之一');
    }
    const unknown = await register(new Visitor(t.app), registration({ supervising_agency_id: '99999999' }));
    expect(unknown.status).toBe(422);
    // The city, the province; an offshore unit for an offshore operator, and only for one.
    const tianjin = String((await agency(t, 'HYAB-CNOOC-TJ')).id);
    const onshore = await register(new Visitor(t.app), registration({ supervising_agency_id: tianjin }));
    expect(onshore.status).toBe(422);
    const offshoreLocal = await register(
      new Visitor(t.app),
      registration({ offshore_operator: 'true', supervising_agency_id: String(otherCounty.id) }),
    );
    expect(offshoreLocal.status).toBe(422);
    for (const fields of [
      { supervising_agency_id: String((await agency(t, CHAIN.city)).id) },
      { supervising_agency_id: String((await agency(t, CHAIN.province)).id) },
      { supervising_agency_id: tianjin, offshore_operator: 'true' },
    ]) {
      const ok = await register(new Visitor(t.app), registration(fields));
      expect(ok.status).toBe(302);
    }
    // 兵团 for a 新疆 region.
    const xinjiang = await register(
      new Visitor(t.app),
      registration({ region_code: '650102', supervising_agency_id: String(xpcc.id) }),
    );
    expect(xinjiang.status).toBe(302);
  });

  it('keeps an offshore operator on the offshore side: its profile ticks the box and lists only those units', async () => {
    const v = new Visitor(t.app);
    const tianjin = String((await agency(t, 'HYAB-CNOOC-TJ')).id);
    expect(
      (await register(v, registration({ offshore_operator: 'true', supervising_agency_id: tianjin }))).status,
    ).toBe(302);
    const profile = (await v.get('/enterprise/profile')).text;
    expect(profile).toMatch(/name="offshore_operator" value="true"[^>]*checked/);
    expect(profile).toContain(`<option value="${tianjin}" selected>`);
    expect(profile).not.toContain('西湖区安全生产监督管理局</option>');
  });

  it('applies the password policy and the confirmation', async () => {
    const short = await register(
      new Visitor(t.app),
      registration({ password: 'ab12', password_confirm: 'ab12' }),
    );
    expect(short.status).toBe(422);
    expect(short.text).toContain('密码至少 8 位');
    const letters = await register(
      new Visitor(t.app),
      registration({ password: 'abcdefghij', password_confirm: 'abcdefghij' }),
    );
    expect(letters.text).toContain('密码须同时包含字母和数字');
    const mismatch = await register(new Visitor(t.app), registration({ password_confirm: 'Different123' }));
    expect(mismatch.text).toContain('两次输入的密码不一致');
    expect(mismatch.text).not.toContain('Kuangshan2024');
  });

  it('checks the captcha, once', async () => {
    const v = new Visitor(t.app);
    const form = registration();
    const wrong = await register(v, { ...form, captcha: 'zzzz' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('验证码错误');
    // Without a new captcha image the right answer no longer works either.
    const replay = await v.post('/register', form, '/register');
    expect(replay.status).toBe(422);
    expect(replay.text).toContain('验证码错误');
  });

  it('shows every error beside its field with what was typed, and 4xx for malformed input', async () => {
    const res = await register(
      new Visitor(t.app),
      registration({
        name: 'x'.repeat(101),
        economic_type: '999',
        contact_phone: 'abc',
        postcode: '12',
        region_code: '330100', // a city with counties: not county-level
        email: ['a@b.cn', 'c@d.cn'],
      }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('不能超过 100 个字符');
    expect(res.text).toContain('请选择列表中的选项');
    expect(res.text).toContain('联系电话应为7–20位数字或“-”');
    expect(res.text).toContain('邮政编码应为6位数字');
    expect(res.text).toContain('所选行政区划无效');
    expect(res.text).toContain('格式不正确');
    expect(res.text).toContain('value="abc"');
    expect(res.text).toContain('class="error-summary"');
  });

  it('registers an ownerless pond (by its agency) with 无 where nothing can be known', async () => {
    const none = { legal_rep: '无', safety_head: '无', contact_mobile: '无' };
    const refused = await register(new Visitor(t.app), registration(none));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('请填写法定代表人');
    const form = registration({ ...none, ownerless: 'true' });
    const reg = await createRegulator(t, '330681');
    const agencyVisitor = new Visitor(t.app);
    expect((await agencyVisitor.login(reg.username, PASSWORD)).status).toBe(302);
    const ok = await register(agencyVisitor, form);
    expect(ok.status).toBe(302);
    const row = await t.knex('enterprises').where({ credit_code: form.credit_code }).first();
    expect(row).toMatchObject({ ownerless: true, legal_rep: '无' });
  });

  it('refuses a post without the CSRF token', async () => {
    const v = new Visitor(t.app);
    await v.get('/register');
    const res = await v.postWithToken('/register', registration(), undefined);
    expect(res.status).toBe(403);
  });
});
