import { startTestApp, TEST_CAPTCHA, type TestApp } from '../support/app';
import { Visitor, type Form } from '../support/browser';
import { agency, CHAIN, nextCreditCode, PASSWORD } from '../support/fixtures';
import { bringTo } from '../support/filings';
import { reviewer as persona, reviewerUsername, type Level } from '../support/personas';
import { exampleEnterpriseData } from '../../src/domain/enterprise';
import { categories, exampleSystemData, type Category } from '../../src/domain/systems';
import type { CurrentUser } from '../../src/services/session';

let t: TestApp;
const reviewers: Record<string, CurrentUser> = {};
let countyId: number;

beforeAll(async () => {
  t = await startTestApp();
  for (const level of Object.keys(CHAIN) as Level[]) reviewers[level] = (await persona(t, level)).user;
  countyId = (await agency(t, CHAIN.county)).id;
});
afterAll(async () => t.close());

let serial = 0;

/** Registers an enterprise through the browser's form; the visitor is then logged in as it. */
async function registerEnterprise(): Promise<{ v: Visitor; enterpriseId: number; form: Form }> {
  serial++;
  const v = new Visitor(t.app);
  const form: Form = {
    ...exampleEnterpriseData({
      credit_code: nextCreditCode(),
      name: `填报测试矿业有限公司${serial}`,
      username: `filing${serial}`,
      region_code: CHAIN.county,
      supervising_agency_id: String(countyId),
    }),
    captcha: TEST_CAPTCHA,
  };
  await v.get('/register');
  await v.get('/captcha');
  const res = await v.post('/register', form, '/register');
  expect(res.status).toBe(302);
  const row = await t.knex('enterprises').where({ credit_code: form.credit_code }).first();
  return { v, enterpriseId: row.id, form };
}

const NEW = (category: string) => `/enterprise/systems/new?category=${category}`;
const PAGE = (id: number) => `/enterprise/systems/${id}`;

/** Creates a draft through the new-system form; returns its id. */
async function createDraft(v: Visitor, category: Category, form: Form): Promise<number> {
  const res = await v.post('/enterprise/systems', { category, ...form }, NEW(category));
  expect(res.status).toBe(302);
  const m = /^\/enterprise\/systems\/(\d+)$/.exec(res.headers.location);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

const system = (id: number) => t.knex('production_systems').where({ id }).first();
const versions = (id: number) => t.knex('system_versions').where({ system_id: id }).orderBy('version');
const history = (id: number) => t.knex('history').where({ system_id: id }).orderBy('seq');
const full = (category: Category, name: string): Form => ({ category, ...exampleSystemData(category), name });

/** A draft from partial data, as the new-system form saves one. */
const partialDraft = (v: Visitor, category: Category, label: string) =>
  createDraft(v, category, { name: `${label}测试草稿`, employees: '12' });

/**
 * A tailings pond of an enterprise of its own (so that a test never depends on what another did
 * to a shared one): its draft, or submitted once (version 1, waiting at the county).
 */
async function tailingsPond(state: 'draft' | 'submitted'): Promise<{ v: Visitor; id: number }> {
  const { v } = await registerEnterprise();
  const id = await partialDraft(v, 'tailings', '尾矿库');
  if (state === 'submitted')
    expect(
      (await v.post(`${PAGE(id)}/submit`, full('tailings', '龙游某某铁矿尾矿库'), PAGE(id))).status,
    ).toBe(302);
  return { v, id };
}

describe('enterprise filing through the browser', () => {
  let v: Visitor;
  let enterpriseId: number;
  let enterpriseForm: Form;
  /** The enterprise's draft of each category, from partial data (never submitted). */
  const drafts: Partial<Record<Category, number>> = {};

  beforeAll(async () => {
    ({ v, enterpriseId, form: enterpriseForm } = await registerEnterprise());
    for (const c of categories) drafts[c.code] = await partialDraft(v, c.code, c.label);
  });

  it('starts on an empty home that says how to begin', async () => {
    const home = await (await registerEnterprise()).v.get('/enterprise');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h1>生产系统</h1>');
    expect(home.text).toContain('还没有填报任何独立生产系统');
    // The messages section is there before any message, saying what will arrive in it.
    expect(home.text).toContain('<h2 id="messages-title">站内消息</h2>');
    expect(home.text).toContain('暂无消息');
    for (const c of categories) expect(home.text).toContain(`/enterprise/systems/new?category=${c.code}`);
  });

  it("titles the category cards in heading order: h2 under the choice page's h1, h3 under the home's h2", async () => {
    const choose = (await v.get('/enterprise/systems/new')).text;
    expect(choose).toContain(
      '<h2 class="category-card-title"><a href="/enterprise/systems/new?category=tailings">',
    );
    expect(choose).not.toContain('<h3');
    const home = (await v.get('/enterprise')).text;
    expect(home).toContain('<h3 class="category-card-title">');
  });

  it('edits 企业基本信息, keeping what was typed when something is wrong', async () => {
    const page = await v.get('/enterprise/profile');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>企业基本信息</h1>');
    expect(page.text).toMatch(/name="credit_code" value="[0-9A-Z]{18}" readonly/);
    expect(page.text).toContain('注册后不能修改');
    expect(page.text).toContain('<option value="150" selected>有限责任公司</option>');

    const wrong = await v.post('/enterprise/profile', {
      ...enterpriseForm,
      contact_name: '赵六',
      email: 'not-an-email',
      affiliation: '77',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('电子邮箱格式不正确');
    expect(wrong.text).toContain('请选择列表中的选项');
    expect(wrong.text).toContain('value="赵六"');
    expect((await t.knex('enterprises').where({ id: enterpriseId }).first()).contact_name).toBe('王某某');

    const cityId = (await agency(t, CHAIN.city)).id;
    const ok = await v.post('/enterprise/profile', {
      ...enterpriseForm,
      credit_code: nextCreditCode(), // read-only: ignored
      contact_name: '赵六',
      supervising_agency_id: String(cityId),
    });
    expect(ok.status).toBe(302);
    const row = await t.knex('enterprises').where({ id: enterpriseId }).first();
    expect(row).toMatchObject({
      contact_name: '赵六',
      supervising_agency_id: cityId,
      credit_code: enterpriseForm.credit_code,
    });

    const offChain = await v.post('/enterprise/profile', {
      ...enterpriseForm,
      supervising_agency_id: String((await agency(t, '330102')).id),
    });
    expect(offChain.status).toBe(422);
    expect(offChain.text).toContain('直接监管部门应为所在县、市、省级安监部门之一');
    // Back to the county for the rest of the journey.
    expect((await v.post('/enterprise/profile', enterpriseForm)).status).toBe(302);
  });

  it('creates a draft of each category from partial data', async () => {
    const { v, enterpriseId } = await registerEnterprise();
    for (const c of categories) {
      const page = await v.get(NEW(c.code));
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<h1>新建${c.label}</h1>`);
      const id = await partialDraft(v, c.code, c.label);
      const row = await system(id);
      expect(row).toMatchObject({
        enterprise_id: enterpriseId,
        category: c.code,
        state: 'draft',
        latest_version: 0,
      });
      expect(row.draft_data).toMatchObject({ name: `${c.label}测试草稿`, employees: 12, address: null });
      const shown = await v.get(PAGE(id));
      expect(shown.status).toBe(200);
      expect(shown.text).toContain('value="12"');
      expect(shown.text).toContain('操作历史');
    }
    const home = await v.get('/enterprise');
    expect(home.text).toContain('共 7 个');
    expect(home.text.match(/>草稿</g)?.length).toBe(7);
  });

  it('renders every category from its definition: units, grouped minerals, yes/no, dates, region selects', async () => {
    const underground = await v.get(PAGE(drafts.underground!));
    expect(underground.text).toContain('<optgroup label="黑色金属">');
    expect(underground.text).toContain('<span class="unit">万t/a</span>');
    expect(underground.text).toContain('name="six_systems" value="monitoring"');
    expect(underground.text).toMatch(/type="radio" name="three_under" value="true"/);
    expect(underground.text).toContain('type="date" id="mining_license_from"');
    expect(underground.text).toContain('name="region_province"');
    // A new system's region starts at the enterprise's own county.
    const fresh = (await v.get(NEW('open_pit'))).text;
    for (const [select, code] of [
      ['region_province', '330000'],
      ['region_city', '330100'],
      ['region_code', CHAIN.county],
    ])
      expect(fresh).toMatch(new RegExp(`name="${select}"[\\s\\S]*?<option value="${code}" selected>`));
    const offshore = await v.get(NEW('oil_gas_offshore'));
    expect(offshore.text).toContain('海油安办');
    expect(offshore.text).toContain('西湖区安全生产监督管理局');
  });

  it('refuses malformed draft input with field errors, saving nothing', async () => {
    const id = drafts.tailings!;
    const before = await system(id);
    const res = await v.post(PAGE(id), {
      category: 'tailings',
      name: '尾矿库测试草稿',
      employees: 'abc',
      design_capacity: '-5',
      last_assessment_date: '2024-13-45',
      pond_type: 'lake',
      address: '地'.repeat(201),
      drainage: ['well', 'moat'],
      online_monitoring: 'maybe',
      region_code: '999999',
    });
    expect(res.status).toBe(422);
    for (const message of [
      '请输入数字',
      '不能为负数',
      '日期格式应为 YYYY-MM-DD',
      '请选择列表中的选项',
      '不能超过 200 个字符',
      '所选行政区划无效',
    ])
      expect(res.text).toContain(message);
    expect(res.text).toContain('value="abc"');
    expect(res.text).toContain('value="-5"');
    expect(res.text).toContain('class="error-summary"');
    expect(res.text).toContain('href="#employees"');
    const after = await system(id);
    expect(after.draft_data).toEqual(before.draft_data);
    expect(after.updated_at).toEqual(before.updated_at);

    const nameless = await v.post(PAGE(id), { category: 'tailings', name: '' });
    expect(nameless.status).toBe(422);
    expect(nameless.text).toContain('保存草稿前请至少填写独立生产系统名称');
    const taken = await v.post(PAGE(id), { category: 'tailings', name: '金属非金属地下矿山测试草稿' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('本企业已有同名的独立生产系统');
    expect((await system(id)).name).toBe('尾矿库测试草稿');
  });

  it('submits with missing fields: errors beside the fields, nothing submitted', async () => {
    const id = drafts.tailings!;
    const res = await v.post(
      `${PAGE(id)}/submit`,
      {
        category: 'tailings',
        name: '尾矿库测试草稿',
        design_capacity: '156',
        design_dam_height: '48',
        grade: '3',
      },
      PAGE(id),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('请选择尾矿库类型');
    expect(res.text).toContain('请填写地址');
    expect(res.text).toContain('href="#pond_type"');
    // The grade proposal and the warning that the entered grade differs.
    expect(res.text).toContain('按设计总库容和设计总坝高计算应为四等');
    expect(res.text).toContain('与填写不一致');
    const row = await system(id);
    expect(row).toMatchObject({ state: 'draft', latest_version: 0, current_agency_id: null });
    expect(await versions(id)).toHaveLength(0);
    expect(await history(id)).toHaveLength(0);
  });

  it('submits a tailings pond with longitude 200: every field and cross-field error at once, nothing saved', async () => {
    const id = drafts.tailings!;
    const before = await system(id);
    const typed: Form = {
      ...full('tailings', '经度错误的尾矿库'),
      longitude: '200',
      pond_type: '',
      stacking: '',
      employees: '10',
      safety_managers: '12',
      special_workers: '3',
      safety_license_issued: '2023-06-15',
      safety_license_expires: '2023-01-01',
      design_capacity: '100',
      current_capacity: '150',
    };
    const res = await v.post(`${PAGE(id)}/submit`, typed, PAGE(id));
    expect(res.status).toBe(422);
    for (const message of [
      '经度：坐标应在中国境内',
      '请选择尾矿库类型',
      '请选择堆存方式',
      '专职安全管理人员数不能大于从业人员数',
      '安全生产许可证有效期至应晚于发证日期',
      '现状库容不能大于设计总库容',
    ])
      expect(res.text).toContain(message);
    expect(res.text).toContain('填写的内容有 6 处需要修改');
    expect(res.text).toContain('未提交审核，本次填写也未保存为草稿');
    expect(res.text).toContain('value="200"');
    expect(res.text).toContain('value="经度错误的尾矿库"');
    const after = await system(id);
    expect(after).toMatchObject({ state: 'draft', latest_version: 0, name: before.name });
    expect(after.draft_data).toEqual(before.draft_data);
    expect(await versions(id)).toHaveLength(0);
  });

  it('refuses an incomplete system submitted straight from the new form: no draft created', async () => {
    const count = async () => Number((await t.knex('production_systems').count({ n: '*' }))[0]!.n);
    const before = await count();
    const res = await v.post(
      '/enterprise/systems',
      { ...full('open_pit', '未填完的露天矿'), mineral: '', intent: 'submit' },
      NEW('open_pit'),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('请选择主要矿种');
    expect(res.text).toContain('未提交审核，本次填写也未保存为草稿');
    expect(res.text).toContain('value="未填完的露天矿"');
    expect(await count()).toBe(before);
  });

  it('submits a complete tailings pond: version 1 frozen, pending at the supervising agency, one history row', async () => {
    const { v, id } = await tailingsPond('draft');
    const form = full('tailings', '龙游某某铁矿尾矿库');
    const res = await v.post(`${PAGE(id)}/submit`, form, PAGE(id));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(PAGE(id));
    const row = await system(id);
    expect(row).toMatchObject({
      state: 'pending',
      current_agency_id: countyId,
      arrival: 'enterprise_submitted',
      latest_version: 1,
      name: '龙游某某铁矿尾矿库',
    });
    const [v1, ...more] = await versions(id);
    expect(more).toHaveLength(0);
    expect(v1).toMatchObject({ version: 1, name: '龙游某某铁矿尾矿库', category: 'tailings' });
    expect(v1.data).toMatchObject({
      design_capacity: 156,
      grade: '4',
      overhead: true,
      drainage: ['well', 'tunnel', 'intercept'],
    });
    const rows = await history(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'submit',
      to_state: 'pending',
      to_agency_id: countyId,
      version: 1,
    });

    const page = await v.get(PAGE(id));
    expect(page.text).toContain('西湖区安全生产监督管理局（企业提交）');
    expect(page.text).toContain('浙江省衢州市龙游县（330825）');
    expect(page.text).toContain('第 1 版');
    expect(page.text).not.toContain('name="design_capacity"'); // frozen: no form
    expect(page.text).toContain('156 万m³');
    expect((await v.get('/enterprise')).text).toContain('审核中（西湖区安监局）');
  });

  it('files a complete underground mine straight from the new form', async () => {
    const res = await v.post(
      '/enterprise/systems',
      { ...full('underground', '诸暨某某铁矿地下开采系统'), intent: 'submit' },
      NEW('underground'),
    );
    expect(res.status).toBe(302);
    const id = Number(/(\d+)$/.exec(res.headers.location)![1]);
    expect(await system(id)).toMatchObject({
      state: 'pending',
      current_agency_id: countyId,
      latest_version: 1,
    });
  });

  it('refuses any edit while pending (409), changing nothing', async () => {
    const { v, id } = await tailingsPond('submitted');
    const before = await system(id);
    const page = await v.get(PAGE(id));
    expect(page.text).not.toContain('提交审核</button>');
    const edit = await v.post(
      PAGE(id),
      { ...full('tailings', '改名的尾矿库'), seq: String(before.workflow_seq) },
      PAGE(id),
    );
    expect(edit.status).toBe(409);
    expect(edit.text).toContain('该信息正在审核中，不能修改或重复提交');
    const resubmit = await v.post(`${PAGE(id)}/submit`, {}, PAGE(id));
    expect(resubmit.status).toBe(409);
    const change = await v.post(`${PAGE(id)}/change`, {}, PAGE(id));
    expect(change.status).toBe(409);
    const after = await system(id);
    expect(after).toEqual(before);
    expect(await versions(id)).toHaveLength(1);
  });

  it('answers 404 for another enterprise, a non-numeric id and an unknown category', async () => {
    const other = (await registerEnterprise()).v;
    const id = drafts.tailings!;
    const draftId = drafts.open_pit!;
    expect((await other.get(PAGE(id))).status).toBe(404);
    expect((await other.get(PAGE(draftId))).status).toBe(404);
    expect((await other.post(PAGE(draftId), full('open_pit', '抢来的草稿'), '/enterprise')).status).toBe(404);
    expect((await other.post(`${PAGE(draftId)}/submit`, {}, '/enterprise')).status).toBe(404);
    expect((await system(draftId)).name).toBe('金属非金属露天矿山测试草稿');
    expect((await other.get('/enterprise')).text).not.toContain('测试草稿');
    expect((await v.get('/enterprise/systems/abc')).status).toBe(404);
    expect((await v.get('/enterprise/systems/99999999')).status).toBe(404);
    expect((await v.post('/enterprise/systems/1e3', {}, '/enterprise')).status).toBe(404);
    const unknown = await v.get(NEW('coal_mine'));
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('没有这种生产系统类别');
    expect(
      (await v.post('/enterprise/systems', { category: 'coal_mine', name: 'x' }, '/enterprise')).status,
    ).toBe(404);
    const chooser = await v.get('/enterprise/systems/new');
    expect(chooser.status).toBe(200);
    expect(chooser.text).toContain('<h1>新建生产系统</h1>');
    // A regulator is not an enterprise: the enterprise pages do not exist for it.
    const reg = new Visitor(t.app);
    await reg.login(reviewerUsername('county'), PASSWORD);
    expect((await reg.get(PAGE(id))).status).toBe(404);
  });

  it('shows a return with its reason and flagged fields; resubmitting makes version 2', async () => {
    const { v, id } = await tailingsPond('submitted');
    await t.services.workflow.return(reviewers.county, id, '现状坝高与现场核查不符', ['current_dam_height']);
    const page = await v.get(PAGE(id));
    expect(page.text).toContain('已退回');
    expect(page.text).toContain('现状坝高与现场核查不符');
    expect(page.text).toMatch(/class="[^"]*is-flagged[^"]*" id="field-current_dam_height"/);
    expect(page.text).toContain('name="current_dam_height"'); // editable again
    const home = await v.get('/enterprise');
    expect(home.text).toContain('站内消息');
    expect(home.text).toContain('现状坝高与现场核查不符');

    const res = await v.post(
      `${PAGE(id)}/submit`,
      { ...full('tailings', '龙游某某铁矿尾矿库'), current_dam_height: '30' },
      PAGE(id),
    );
    expect(res.status).toBe(302);
    const row = await system(id);
    expect(row).toMatchObject({ state: 'pending', latest_version: 2, current_agency_id: countyId });
    const all = await versions(id);
    expect(all.map((x) => x.data.current_dam_height)).toEqual([31.5, 30]);
  });

  it('shows every reason of a return on its way down, national first', async () => {
    const { v, id } = await tailingsPond('submitted');
    const { workflow } = t.services;
    await bringTo(t, id, 'pending@national');
    await workflow.return(reviewers.national, id, '总局：安全度与评价结论不符', ['safety_degree']);
    await workflow.return(reviewers.province, id, '省局：请核实安全度');
    await workflow.return(reviewers.city, id, '市局：同意退回');
    await workflow.return(reviewers.county, id, '县局：请企业修改安全度', ['last_assessment_date']);
    const page = await v.get(PAGE(id));
    const order = ['总局：', '省局：', '市局：', '县局：'].map((s) => page.text.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page.text).toContain('国家安全生产监督管理总局');
    expect(page.text).toMatch(/is-flagged[^"]*" id="field-safety_degree"/);
    expect(page.text).toMatch(/is-flagged[^"]*" id="field-last_assessment_date"/);
  });

  it('opens a change (变更) of a stored system; the stored version stays until the change is stored', async () => {
    const { v, id } = await tailingsPond('submitted');
    await bringTo(t, id, 'stored');
    const stored = await system(id);
    expect(stored).toMatchObject({ state: 'stored', stored_version: 1, latest_version: 1 });
    const page = await v.get(PAGE(id));
    expect(page.text).toContain('已入库');
    expect(page.text).toContain('发起变更');
    expect((await v.get('/enterprise')).text).toContain('已通过国家安全监管总局审核');

    const change = await v.post(`${PAGE(id)}/change`, { seq: String(stored.workflow_seq) }, PAGE(id));
    expect(change.status).toBe(302);
    const reopened = await v.get(PAGE(id));
    expect(reopened.text).toContain('第 1 版在本次变更审核入库前仍为有效版本');
    expect(reopened.text).toContain('value="82.4"'); // prefilled from the stored data

    const save = await v.post(
      PAGE(id),
      { ...full('tailings', '龙游某某铁矿尾矿库'), current_capacity: '90' },
      PAGE(id),
    );
    expect(save.status).toBe(302);
    const row = await system(id);
    expect(row).toMatchObject({ state: 'draft', stored_version: 1, latest_version: 1 });
    expect(row.draft_data.current_capacity).toBe(90);
    expect((await versions(id))[0].data.current_capacity).toBe(82.4);
    expect((await history(id)).at(-1)).toMatchObject({ action: 'reopen', to_state: 'draft' });
  });

  it('refuses a stale page (the system moved since it was shown)', async () => {
    const { v, id } = await tailingsPond('submitted');
    await t.services.workflow.return(reviewers.county, id, '请补充坝体资料');
    const row = await system(id);
    const res = await v.post(
      `${PAGE(id)}/submit`,
      { ...full('tailings', '龙游某某铁矿尾矿库'), seq: String(row.workflow_seq - 1) },
      PAGE(id),
    );
    expect(res.status).toBe(409);
    expect(await system(id)).toMatchObject({ state: 'returned', workflow_seq: row.workflow_seq });
  });

  it('answers a malformed seq with 400, as the review forms do (routes/params.ts)', async () => {
    const { v, id } = await tailingsPond('draft');
    const res = await v.post(
      `${PAGE(id)}/submit`,
      { ...full('tailings', '龙游某某铁矿尾矿库'), seq: 'x' },
      PAGE(id),
    );
    expect(res.status).toBe(400);
    expect((await system(id)).state).toBe('draft');
  });

  it('answers a malformed system id with 404', async () => {
    expect((await v.get('/enterprise/systems/abc')).status).toBe(404);
    expect((await v.get('/enterprise/systems/0')).status).toBe(404);
  });
});
