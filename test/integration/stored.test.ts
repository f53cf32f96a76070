import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { startTestApp, type TestApp } from '../support/app';
import { actingUser, createEnterprise } from '../support/fixtures';
import { chinaDay, namesIn, rowOf } from '../support/storedFixtures';
import { bringTo, fileThrough } from '../support/filings';
import { signedIn } from '../support/personas';
import { systemsRepo } from '../../src/data/systems';
import { storedRepo } from '../../src/data/stored';
import { Visitor } from '../support/browser';
import type { Category } from '../../src/domain/systems';

let t: TestApp;

/** The stored systems of the fixture, by role in the tests. */
const sys: Record<string, { id: number; name: string }> = {};

async function stored(
  key: string,
  supervisingCode: string,
  category: Category,
  overrides: Record<string, string | string[]> = {},
  opts: { store?: boolean; regionCode?: string } = {},
) {
  const e = await createEnterprise(t, {
    supervisingCode,
    regionCode: opts.regionCode,
    name: `${key}号测试矿业有限公司`,
  });
  const { id, name } = await fileThrough(t, opts.store === false ? 'draft' : 'stored', {
    enterprise: e,
    category,
    overrides,
  });
  sys[key] = { id, name };
  return { id, enterprise: e };
}

const licence = (expires: string) => ({
  safety_license_issued: '2019-01-01',
  safety_license_expires: expires,
});

beforeAll(async () => {
  t = await startTestApp();
  // 西湖区 (county): a tailings pond whose licence runs out within 90 days, an iron mine whose
  // licence has expired; 滨江区 (the neighbour county): a large limestone quarry; 杭州市 itself
  // supervises a sick third-grade pond; 江苏省 a suspended gold mine; 天津监督处 an offshore field.
  await stored('A', '330106', 'tailings', { ...licence(chinaDay(30)), region_code: '330106' });
  await stored('B', '330106', 'underground', { ...licence(chinaDay(-10)), mineral: 'iron', scale: 'medium' });
  await stored('C', '330108', 'open_pit', {
    ...licence(chinaDay(400)),
    mineral: 'limestone',
    scale: 'large',
    mining_license_no: 'C3301002019047120099999',
    region_code: '330108',
  });
  await stored('D', '330100', 'tailings', {
    ...licence(chinaDay(400)),
    grade: '3',
    design_capacity: '1500',
    design_dam_height: '70',
    safety_degree: 'sick',
    overhead: 'false',
    downstream_households: '',
    downstream_people: '',
  });
  await stored(
    'E',
    '320000',
    'underground',
    {
      ...licence(chinaDay(400)),
      mineral: 'gold',
      scale: 'small',
      production_status: 'suspended',
      region_code: '320115',
    },
    { regionCode: '320115' },
  );
  await stored('F', 'HYAB-CNOOC-TJ', 'oil_gas_offshore', licence(chinaDay(400)), { regionCode: '120116' });
  // Submitted but never stored: in nobody's 已入库 list.
  const g = await stored('G', '330106', 'open_pit', licence(chinaDay(400)), { store: false });
  await t.services.workflow.submit(await actingUser(t, g.enterprise.userId), g.id);
});
afterAll(async () => t.close());

const visitors = new Map<string, Visitor>();
async function as(agencyCode: string): Promise<Visitor> {
  if (!visitors.has(agencyCode)) visitors.set(agencyCode, await signedIn(t, agencyCode));
  return visitors.get(agencyCode)!;
}

async function listed(agencyCode: string, query = ''): Promise<string[]> {
  const res = await (await as(agencyCode)).get(`/stored${query}`);
  expect(res.status).toBe(200);
  return namesIn(res.text);
}

const names = (...keys: string[]) => keys.map((k) => sys[k].name).sort();

describe('已入库信息查询: jurisdiction', () => {
  it.each([
    ['西湖区 (a county) sees only its own', '330106', ['A', 'B']],
    ['滨江区 never sees its neighbour 西湖区', '330108', ['C']],
    ['杭州市 sees its counties and what it supervises itself', '330100', ['A', 'B', 'C', 'D']],
    ['浙江省 sees its subtree', '330000', ['A', 'B', 'C', 'D']],
    ['江苏省 sees only 江苏', '320000', ['E']],
    ['the national level sees all', '000000', ['A', 'B', 'C', 'D', 'E', 'F']],
    ['an offshore office sees only offshore systems', 'HYAB-CNOOC-TJ', ['F']],
    ['海油安办 sees only offshore systems', 'HYAB', ['F']],
  ])('%s', async (_label, code, keys) => {
    expect((await listed(code as string)).sort()).toEqual(names(...(keys as string[])));
  });

  it('answers 404 for a stored system outside the subtree, and for one never stored', async () => {
    expect((await (await as('330106')).get(`/stored/${sys.C.id}`)).status).toBe(404);
    expect((await (await as('HYAB-CNOOC-TJ')).get(`/stored/${sys.A.id}`)).status).toBe(404);
    expect((await (await as('000000')).get(`/stored/${sys.G.id}`)).status).toBe(404);
    expect((await (await as('000000')).get('/stored/999999')).status).toBe(404);
    expect((await (await as('000000')).get('/stored/abc')).status).toBe(404);
    const ok = await (await as('330100')).get(`/stored/${sys.A.id}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain(sys.A.name);
  });

  it('is not there for an enterprise user', async () => {
    const e = await createEnterprise(t, { username: 'stored_ent' });
    const v = new Visitor(t.app);
    await v.login(e.username, e.password);
    expect((await v.get('/stored')).status).toBe(404);
    expect((await v.get('/stored.xlsx')).status).toBe(404);
    expect((await v.get(`/stored/${sys.A.id}`)).status).toBe(404);
  });
});

describe('已入库信息查询: filters', () => {
  it.each([
    ['category', '?category=tailings', ['A', 'D']],
    ['mineral', '?mineral=iron', ['B']],
    ['mineral with its category', '?category=underground&mineral=gold', ['E']],
    ['scale', '?scale=large', ['C']],
    ['production status', '?production_status=suspended', ['E']],
    ['tailings grade', '?grade=3', ['D']],
    ['safety degree', '?safety_degree=sick', ['D']],
    ['overhead pond (头顶库)', '?overhead=yes', ['A']],
    ['not an overhead pond', '?overhead=no', ['D']],
    ['licence expired', '?licence=expired', ['B']],
    ['licence expiring within 90 days', '?licence=expiring', ['A']],
    ['text: enterprise name', `?q=${encodeURIComponent('C号测试')}`, ['C']],
    ['text: mining licence number', '?q=c33010020190471200999', ['C']],
    // Two characters give no trigram; the bigram index serves them. One character is a scan.
    ['text: two characters of an enterprise name', `?q=${encodeURIComponent('C号')}`, ['C']],
    ['text: one character', `?category=tailings&q=${encodeURIComponent('号')}`, ['A', 'D']],
    ['region: a province', '?province=330000', ['A', 'B', 'C', 'D']],
    ['region: a city', '?province=330000&city=330100', ['A', 'B', 'C', 'D']],
    ['region: a county', '?province=330000&city=330100&county=330106', ['A', 'B']],
    ['region: a stale city after the province changed is dropped', '?province=320000&city=330100', ['E']],
    ['several at once', '?province=330000&category=tailings&safety_degree=sick', ['D']],
    // The statistics page links with an agency code and overhead=1.
    ['region: an agency code (statistics links)', '?region=330106', ['A', 'B']],
    ['region: an agency code with a filter', '?region=330100&category=tailings&overhead=1', ['A']],
  ])('%s', async (_label, query, keys) => {
    expect((await listed('000000', query as string)).sort()).toEqual(names(...(keys as string[])));
  });

  it('finds by system name and by credit code', async () => {
    expect(await listed('000000', `?q=${encodeURIComponent(sys.E.name)}`)).toEqual([sys.E.name]);
    const e = await t
      .knex('production_systems as ps')
      .join('enterprises as e', 'e.id', 'ps.enterprise_id')
      .where('ps.id', sys.F.id)
      .first('e.credit_code');
    expect(await listed('000000', `?q=${e.credit_code.toLowerCase()}`)).toEqual([sys.F.name]);
  });

  it('drills down one level at a time: the city select appears once a province is chosen', async () => {
    const v = await as('000000');
    const top = await v.get('/stored');
    expect(top.text).toContain('name="province"');
    expect(top.text).not.toContain('name="city"');
    const zj = await v.get('/stored?province=330000');
    expect(zj.text).toMatch(/<option value="330100" selected>|<option value="330000" selected>/);
    expect(zj.text).toContain('name="city"');
    expect(zj.text).not.toContain('name="county"');
    const hz = await v.get('/stored?province=330000&city=330100');
    expect(hz.text).toContain('name="county"');
    expect(hz.text).toContain('<option value="330106">西湖区</option>');
    // A county has nothing to drill into; a city starts at its counties.
    expect((await (await as('330106')).get('/stored')).text).not.toContain('name="province"');
    const city = await (await as('330100')).get('/stored');
    expect(city.text).toContain('name="county"');
    expect(city.text).not.toContain('name="province"');
  });

  it('narrows to what the chosen region supervises itself with 仅本级直接监管', async () => {
    // 杭州市 supervises D itself; A, B and C are its counties'.
    expect((await listed('330100', '?direct=1')).sort()).toEqual(names('D'));
    expect((await listed('000000', '?province=330000&city=330100&direct=1')).sort()).toEqual(names('D'));
    expect(await listed('000000', '?province=330000&direct=1')).toEqual([]);
    const city = (await (await as('330100')).get('/stored?direct=1')).text;
    expect(city).toContain('name="direct" value="1" checked');
    expect(city).toContain('href="/stored.xlsx?direct=1"');
    // Offered where the region has subordinates, not for a county.
    expect((await (await as('330100')).get('/stored')).text).toContain('name="direct"');
    expect((await (await as('330106')).get('/stored')).text).not.toContain('name="direct"');
    const bogus = await (await as('330100')).get('/stored?direct=yes');
    expect(bogus.status).toBe(400);
    expect(bogus.text).toContain('查询条件“本级直接监管”的取值无法识别，已忽略该条件');
    expect(bogus.text).toContain('name="direct" value="1"'); // the list page, not an error page
  });

  it('opens a detail that goes back to the same filtered list', async () => {
    const list = await (await as('000000')).get('/stored?province=330000&category=tailings');
    const link = `/stored/${sys.A.id}?from=province%3D330000%26category%3Dtailings`;
    expect(list.text).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
    const detail = (await (await as('000000')).get(link)).text;
    expect(detail).toContain('href="/stored?province=330000&amp;category=tailings">返回已入库信息查询</a>');
  });

  it('flags an expired or soon-expiring licence on the detail, by the same rule as the statistics', async () => {
    const v = await as('000000');
    expect((await v.get(`/stored/${sys.A.id}`)).text).toContain(
      '<span class="tag tag-amber">许可证90天内到期</span>',
    );
    expect((await v.get(`/stored/${sys.B.id}`)).text).toContain(
      '<span class="tag tag-red">许可证已过期</span>',
    );
    expect((await v.get(`/stored/${sys.C.id}`)).text).not.toContain('许可证已过期');
    expect((await v.get(`/stored/${sys.C.id}`)).text).not.toContain('许可证90天内到期');
  });

  it('keeps every filter in the URL of the sort, page and export links', async () => {
    const res = await (await as('000000')).get('/stored?province=330000&category=tailings&q=%E5%8F%B7');
    expect(res.text).toContain('href="/stored.xlsx?province=330000&amp;category=tailings&amp;q=%E5%8F%B7"');
    expect(res.text).toMatch(
      /href="\/stored\?province=330000&amp;category=tailings&amp;q=%E5%8F%B7&amp;sort=name&amp;dir=asc"/,
    );
  });

  it('keeps a chosen sort when the filters are submitted, and leaves the default out', async () => {
    const v = await as('000000');
    const sorted = (await v.get('/stored?sort=name&dir=desc')).text;
    expect(sorted).toContain(
      '<input type="hidden" name="sort" value="name"><input type="hidden" name="dir" value="desc">',
    );
    expect((await v.get('/stored')).text).not.toContain('type="hidden" name="sort"');
  });

  it('sorts by name both ways', async () => {
    const asc = await listed('000000', '?sort=name&dir=asc');
    expect([...asc].sort()).toEqual(names('A', 'B', 'C', 'D', 'E', 'F'));
    expect(await listed('000000', '?sort=name&dir=desc')).toEqual([...asc].reverse());
    expect((await listed('000000', '?sort=category')).slice(0, 2).sort()).toEqual(names('B', 'E'));
  });

  it('keeps the page for a value no form offers, ignores that filter and says so (400)', async () => {
    const res = await (await as('000000')).get('/stored?mineral=unobtainium');
    expect(res.status).toBe(400);
    expect(res.text).toContain('查询条件“主要矿种”的取值无法识别，已忽略该条件');
    // Every stored system is still listed: the other (no) filters apply.
    expect(res.text).toContain('已入库信息查询');
    expect(namesIn(res.text).sort()).toEqual((await listed('000000', '')).sort());
    const coal = await (await as('000000')).get('/stored?category=coal&licence=valid');
    expect(coal.status).toBe(400);
    expect(coal.text).toContain('“类别”');
    const twice = await (await as('000000')).get('/stored?q=a&q=b');
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('“关键字”');
  });

  it('says so when nothing matches', async () => {
    const res = await (await as('000000')).get('/stored?q=no-such-thing');
    expect(res.text).toContain('没有符合条件的已入库信息');
    expect(res.text).toContain('共 <strong>0</strong> 条');
  });
});

describe('已入库信息查询: pagination', () => {
  // 23 stored quarries of 江宁区, for every test here (each runs alone with -t).
  beforeAll(async () => {
    const e = await createEnterprise(t, { supervisingCode: '320115', name: '江宁采石有限公司' });
    for (let i = 0; i < 23; i++) {
      await fileThrough(t, 'stored', { enterprise: e, overrides: { name: `江宁第${i + 1}采石场` } });
    }
  });

  it('pages 20 at a time with the total count', async () => {
    const v = await as('320115');
    const first = await v.get('/stored');
    expect(first.text).toContain('共 <strong>23</strong> 条');
    expect(namesIn(first.text)).toHaveLength(20);
    expect(first.text).toContain('href="/stored?page=2"');
    const second = await v.get('/stored?page=2');
    expect(namesIn(second.text)).toHaveLength(3);
    expect(new Set([...namesIn(first.text), ...namesIn(second.text)]).size).toBe(23);
    // A page past the end shows the last one.
    expect(namesIn((await v.get('/stored?page=9')).text)).toEqual(namesIn(second.text));
    // A text search below the bound is counted exactly, and says nothing of a bound.
    const searched = await v.get(`/stored?q=${encodeURIComponent('江宁第')}`);
    expect(searched.text).toContain('共 <strong>23</strong> 条');
    expect(searched.text).not.toContain('超过');
  });

  it('counts a text search only up to the bound it is given, in the database', async () => {
    const agency = await t.knex('agencies').where({ code: '320115' }).first('id');
    const filter = { agencyIds: [agency.id as number], q: '江宁第' };
    const repo = storedRepo(t.knex);
    expect(await repo.count(filter)).toBe(23);
    expect(await repo.count(filter, 11)).toBe(11);
    expect(await repo.count(filter, 100)).toBe(23);
    expect(await repo.count({ ...filter, q: '江宁第1' }, 11)).toBe(11); // 1, 10–19
    expect(await repo.count({ ...filter, q: '江宁第2' }, 11)).toBe(5); // 2, 20–23
  });
});

function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function download(agencyCode: string, query = ''): Promise<{ res: Response; book: ExcelJS.Workbook }> {
  const res = await (await as(agencyCode)).get(`/stored.xlsx${query}`).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as Parameters<typeof book.xlsx.load>[0]);
  return { res, book };
}

const headerOf = (ws: ExcelJS.Worksheet): string[] =>
  (ws.getRow(1).values as unknown[]).slice(1).map((v) => String(v));

describe('已入库信息查询: Excel export', () => {
  it('exports the filtered set, one sheet per category, with Chinese headers and typed cells', async () => {
    const { res, book } = await download('330000');
    expect(res.headers['content-type']).toContain('spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E5%B7%B2%E5%85%A5%E5%BA%93");
    expect(book.worksheets.map((w) => w.name)).toEqual([
      '金属非金属地下矿山',
      '金属非金属露天矿山',
      '尾矿库',
    ]);
    const ponds = book.getWorksheet('尾矿库')!;
    expect(ponds.rowCount).toBe(1 + 2);
    const header = headerOf(ponds);
    for (const h of [
      '独立生产系统名称',
      '企业名称',
      '统一社会信用代码',
      '所在行政区划',
      '入库日期',
      '设计总库容（万m³）',
      '尾矿库等别',
      '安全生产许可证有效期至',
    ])
      expect(header).toContain(h);
    expect(ponds.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const rowOfName = (name: string) => {
      for (let r = 2; r <= ponds.rowCount; r++)
        if (ponds.getRow(r).getCell(1).value === name) return ponds.getRow(r);
      throw new Error(`no row ${name}`);
    };
    const a = rowOfName(sys.A.name);
    const cell = (h: string) => a.getCell(header.indexOf(h) + 1).value;
    expect(cell('设计总库容（万m³）')).toBe(156);
    expect(typeof cell('从业人员数（人）')).toBe('number');
    expect(cell('安全生产许可证有效期至')).toBeInstanceOf(Date);
    expect((cell('安全生产许可证有效期至') as Date).toISOString().slice(0, 10)).toBe(chinaDay(30));
    expect(cell('入库日期')).toBeInstanceOf(Date);
    // Dates show as dates in Excel, numbers and text as they are.
    const format = (h: string) => a.getCell(header.indexOf(h) + 1).numFmt;
    expect(format('入库日期')).toBe('yyyy-mm-dd');
    expect(format('安全生产许可证有效期至')).toBe('yyyy-mm-dd');
    expect(format('企业名称')).toBeUndefined();
    expect(cell('尾矿库等别')).toBe('四等');
    expect(cell('头顶库（下游1公里内有居民或重要设施）')).toBe('是');
    expect(cell('排洪设施')).toBe('排水井、排水隧洞、截洪沟');
    expect(cell('所在行政区划')).toBe('浙江省杭州市西湖区');
    expect(String(cell('企业名称'))).toContain('A号测试矿业');

    expect(book.getWorksheet('金属非金属露天矿山')!.rowCount).toBe(1 + 1);
  });

  it('applies the filters and the jurisdiction of the list', async () => {
    const { book } = await download('000000', '?category=tailings&safety_degree=sick');
    expect(book.worksheets.map((w) => w.name)).toEqual(['尾矿库']);
    expect(book.worksheets[0].rowCount).toBe(2);
    expect(book.worksheets[0].getRow(2).getCell(1).value).toBe(sys.D.name);

    const offshore = await download('HYAB-CNOOC-TJ');
    expect(offshore.book.worksheets.map((w) => w.name)).toEqual(['海洋石油天然气']);
    expect(offshore.book.worksheets[0].rowCount).toBe(2);
  });

  it('writes header-only sheets when nothing matches, and refuses a bad query before streaming', async () => {
    const { book } = await download('000000', '?q=no-such-thing');
    expect(book.worksheets).toHaveLength(7);
    expect(book.worksheets.every((w) => w.rowCount === 1)).toBe(true);
    const bad = await (await as('000000')).get('/stored.xlsx?grade=9');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('text/html');
    expect(bad.text).toContain('查询条件“尾矿库等别”的取值无法识别');
  });
});

describe('已入库信息查询: a change (变更) after storage', () => {
  it('shows the stored data until the change is itself stored, then the new version', async () => {
    const { id, enterprise } = await stored('H', '330106', 'tailings', licence(chinaDay(400)));
    const ent = await actingUser(t, enterprise.userId);
    const v = await as('330106');
    const page = async () => (await v.get(`/stored/${id}`)).text;
    const sick = async () => listed('330106', '?safety_degree=dangerous');

    expect(await page()).toContain('82.4 万m³');
    await t.services.workflow.reopen(ent, id);
    const draft = await systemsRepo(t.knex).byId(id);
    await systemsRepo(t.knex).updateDraft(id, draft!.name, {
      ...draft!.draft_data,
      current_capacity: 99.5,
      safety_degree: 'dangerous',
    });
    let html = await page();
    expect(html).toContain('82.4 万m³');
    expect(html).not.toContain('99.5 万m³');
    expect(html).toContain('该系统的变更正在填报/审核中，此处显示的是已入库版本');
    expect(rowOf((await v.get('/stored')).text, sys.H.name)).toContain('变更填报中');
    expect(await sick()).toEqual([]);

    await bringTo(t, id, 'pending@national'); // submitted; county, city, province approve
    html = await page();
    expect(html).toContain('82.4 万m³');
    expect(html).toContain('第 1 版');
    expect(rowOf((await v.get('/stored')).text, sys.H.name)).toContain('变更审核中');
    expect(await sick()).toEqual([]);

    await bringTo(t, id, 'stored'); // the national level stores the change
    html = await page();
    expect(html).toContain('99.5 万m³');
    expect(html).not.toContain('82.4 万m³');
    expect(html).toContain('第 2 版');
    expect(html).not.toContain('该系统的变更正在填报/审核中');
    expect(html).toMatch(/v1[\s\S]*v2/); // the history shows both versions
    expect(await sick()).toEqual([sys.H.name]);
    expect(rowOf((await v.get('/stored')).text, sys.H.name)).toContain('v2');
  });
});

describe('已入库信息查询: names sort by pinyin', () => {
  beforeAll(async () => {
    // In code-point order 北 (U+5317) < 测 (U+6D4B) < 阿 (U+963F); in pinyin a < bei < ce.
    await stored('P1', '330108', 'exploration', { name: '阿坝地质勘查项目' });
    await stored('P2', '330108', 'exploration', { name: '北山地质勘查项目' });
  });

  it('lists 滨江区 by name in the database collation zh_pinyin — pinyin where the server has it', async () => {
    const shown = await listed('330108', '?sort=name&dir=asc');
    const inDatabase: string[] = (
      await t.knex.raw('SELECT n FROM unnest(?::text[]) AS n ORDER BY n COLLATE zh_pinyin', [
        [sys.C.name, sys.P1.name, sys.P2.name],
      ])
    ).rows.map((r: { n: string }) => r.n);
    expect(shown).toEqual(inDatabase);
    expect(await listed('330108', '?sort=name&dir=desc')).toEqual([...inDatabase].reverse());
    const { rows } = await t.knex.raw(`SELECT '阿' < '北' COLLATE zh_pinyin AS pinyin`);
    if (rows[0].pinyin) expect(shown).toEqual([sys.P1.name, sys.P2.name, sys.C.name]); // real PostgreSQL
  });
});
