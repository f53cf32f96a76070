import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { startTestApp, type TestApp } from '../support/app';
import { actingUser, CHAIN, createEnterprise, PASSWORD } from '../support/fixtures';
import { Visitor } from '../support/browser';
import { censusRow } from '../support/census';
import { fileThrough, type FilingTarget } from '../support/filings';
import { reviewer as persona } from '../support/personas';
import type { Category } from '../../src/domain/systems';
import type { CurrentUser } from '../../src/services/session';

// A small tree where every figure is known by construction:
//   西湖区 330106 (county) supervises A: 10 systems, one in every census position;
//   拱墅区 330105 (the neighbour county of the same city) supervises B: 3 systems;
//   杭州市 330100 supervises C directly: 2 systems;   浙江省 330000 supervises D directly: 2.
// Nothing else exists, so the national figures for 浙江 are the province's.

let t: TestApp;
const reviewer: Record<string, CurrentUser> = {};
const accounts: Record<string, string> = {};
const LEVELS = {
  county: CHAIN.county,
  neighbour: '330105',
  city: CHAIN.city,
  province: CHAIN.province,
  national: CHAIN.national,
};

const DAY = 86_400_000;
/** A day in China relative to today (the statistics' "today" is China's). */
const chinaDay = (offset: number): string =>
  new Date(Date.now() + 8 * 3_600_000 + offset * DAY).toISOString().slice(0, 10);
const threeYearsBefore = (iso: string): string => `${Number(iso.slice(0, 4)) - 3}${iso.slice(4)}`;
const licence = (expires: string) => ({
  safety_license_issued: threeYearsBefore(expires),
  safety_license_expires: expires,
});
const VALID = licence(chinaDay(700));

interface Ent {
  id: number;
  userId: number;
  user: CurrentUser;
}

async function enterprise(supervisingCode: string): Promise<Ent> {
  const e = await createEnterprise(t, {
    supervisingCode,
    regionCode: supervisingCode === '330105' ? '330105' : '330106',
  });
  return { id: e.id, userId: e.userId, user: await actingUser(t, e.userId) };
}

/** After the filing driver: reopen / submit by the enterprise; return:<level> returns there. */
type Then = 'submit' | 'reopen' | `return:${keyof typeof LEVELS}`;

/** Creates a system, brings it to `to` with the filing driver, then takes the steps of `then`. */
async function system(
  ent: Ent,
  category: Category,
  to: FilingTarget,
  then: Then[] = [],
  overrides: Record<string, string | string[]> = {},
): Promise<number> {
  const { id } = await fileThrough(t, to, {
    enterprise: ent,
    category,
    overrides: { ...VALID, ...overrides },
  });
  const { workflow } = t.services;
  for (const step of then) {
    if (step === 'submit') await workflow.submit(ent.user, id);
    else if (step === 'reopen') await workflow.reopen(ent.user, id);
    else await workflow.return(reviewer[step.slice(7)], id, '请核实数据');
  }
  return id;
}

beforeAll(async () => {
  t = await startTestApp();
  for (const [level, code] of Object.entries(LEVELS)) {
    const r = await persona(t, code);
    reviewer[level] = r.user;
    accounts[level] = r.username;
  }
  const A = await enterprise('330106');
  await system(A, 'tailings', 'draft'); // draft: 未提交
  await system(A, 'open_pit', 'submitted'); // 审核中 at the county
  await system(A, 'open_pit', 'pending@city'); // 审核中 at the city
  await system(A, 'open_pit', 'pending@province'); // 审核中 at the province
  await system(A, 'open_pit', 'pending@national'); // 审核中 at 总局
  await system(A, 'open_pit', 'submitted', ['return:county']); // 已退回 (to the enterprise)
  await system(A, 'open_pit', 'pending@city', ['return:city']); // 已退回 (upper_returned at the county)
  // Stored: a 危库 overhead pond with 200 people below it; an expired-licence gold mine; an
  // excavation firm whose change (变更) is under review again — still counted as stored.
  await system(A, 'tailings', 'stored', [], { safety_degree: 'critical', downstream_people: '200' });
  await system(A, 'underground', 'stored', [], {
    mineral: 'gold',
    scale: 'medium',
    ...licence(chinaDay(-5)),
  });
  await system(A, 'excavation', 'stored', ['reopen', 'submit']);

  const B = await enterprise('330105');
  await system(B, 'open_pit', 'stored', [], {
    mineral: 'limestone',
    scale: 'small',
    ...licence(chinaDay(30)),
  });
  await system(B, 'open_pit', 'submitted');
  await system(B, 'open_pit', 'draft');

  const C = await enterprise('330100');
  await system(C, 'open_pit', 'submitted'); // 审核中 at the city (its supervising agency)
  await system(C, 'tailings', 'stored', [], {
    safety_degree: 'normal',
    overhead: 'false',
    downstream_households: '',
    downstream_people: '',
  });

  const D = await enterprise('330000');
  await system(D, 'open_pit', 'submitted'); // 审核中 at the province
  await system(D, 'oil_gas_onshore', 'stored');
});
afterAll(async () => t.close());

async function as(level: string): Promise<Visitor> {
  const v = new Visitor(t.app);
  const res = await v.login(accounts[level], PASSWORD);
  expect(res.status).toBe(302);
  return v;
}

const strip = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The census table as { row label: [已填报, 县级, 市级, 省级, 总局, 小计, 已退回, 已入库, 入库率, 最久待审, 未提交] }. */
function censusTable(html: string): Record<string, string[]> {
  const table = html.match(/<table class="data stats-table">([\s\S]*?)<\/table>/);
  if (!table) throw new Error('no census table');
  const rows: Record<string, string[]> = {};
  for (const tr of table[1].split('<tr').slice(1)) {
    const name = tr.match(/<th scope="row"[^>]*>([\s\S]*?)<\/th>/);
    if (!name) continue;
    rows[strip(name[1])] = [...tr.matchAll(/<td class="num">([\s\S]*?)<\/td>/g)].map((m) => strip(m[1]));
  }
  return rows;
}

const ZERO = censusRow(0, [0, 0, 0, 0], 0, 0, 0);
const XIHU = censusRow(9, [1, 1, 1, 1], 2, 3, 1);
const GONGSHU = censusRow(2, [1, 0, 0, 0], 0, 1, 1);
const HANGZHOU_OWN = censusRow(2, [0, 1, 0, 0], 0, 1, 0);
const HANGZHOU = censusRow(13, [2, 2, 1, 1], 2, 5, 2);
const ZHEJIANG_OWN = censusRow(2, [0, 0, 1, 0], 0, 1, 0);
const ZHEJIANG = censusRow(15, [2, 2, 2, 1], 2, 6, 2);

describe('统计分析: census progress at every level', () => {
  it('a county sees its own figures only', async () => {
    const res = await (await as('county')).get('/stats');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>统计分析</h1>');
    expect(censusTable(res.text)).toEqual({ 西湖区: XIHU });
  });

  it('a city sees each county, what it supervises itself, and the total', async () => {
    const res = await (await as('city')).get('/stats');
    const table = censusTable(res.text);
    expect(table['西湖区']).toEqual(XIHU);
    expect(table['拱墅区']).toEqual(GONGSHU);
    expect(table['上城区']).toEqual(ZERO);
    expect(table['本级直接监管']).toEqual(HANGZHOU_OWN);
    expect(table['合计']).toEqual(HANGZHOU);
  });

  it('a province sees each city, then its own, then the total', async () => {
    const res = await (await as('province')).get('/stats');
    const table = censusTable(res.text);
    expect(table['杭州市']).toEqual(HANGZHOU);
    expect(table['宁波市']).toEqual(ZERO);
    expect(table['本级直接监管']).toEqual(ZHEJIANG_OWN);
    expect(table['合计']).toEqual(ZHEJIANG);
    expect(Object.keys(table)).toHaveLength(11 + 2); // 11 cities of 浙江
  });

  it('the national level sees every province-level agency, 兵团 and 海油安办 included', async () => {
    const res = await (await as('national')).get('/stats');
    const table = censusTable(res.text);
    expect(table['浙江省']).toEqual(ZHEJIANG);
    expect(table['北京市']).toEqual(ZERO);
    expect(table['新疆生产建设兵团']).toEqual(ZERO);
    expect(table['海洋石油作业安全办公室']).toEqual(ZERO);
    expect(table['合计']).toEqual(ZHEJIANG);
    expect(Object.keys(table)).toHaveLength(31 + 2 + 1);
  });

  it('names the review levels of an offshore scope as the offshore chain does', async () => {
    const headers = async (region: string): Promise<string[]> => {
      const res = await (await as('national')).get(`/stats.xlsx?region=${region}`).buffer(true).parse(binary);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as never);
      return (book.getWorksheet('普查进度')!.getRow(1).values as unknown[]).filter(
        (v) => typeof v === 'string',
      );
    };
    const offshore = await headers('HYAB');
    for (const label of ['审核中-监督处', '审核中-分部', '审核中-海油安办', '审核中-总局'])
      expect(offshore).toContain(label);
    expect(offshore).not.toContain('审核中-县级');
    expect(await headers('330000')).toContain('审核中-县级');
  });

  it('drills down by agency code (or id) within the jurisdiction', async () => {
    const national = await as('national');
    expect(censusTable((await national.get('/stats?region=330000')).text)['合计']).toEqual(ZHEJIANG);
    expect(censusTable((await national.get('/stats?region=330106')).text)).toEqual({ 西湖区: XIHU });
    const city = await (await as('province')).get('/stats?region=330100');
    expect(censusTable(city.text)['合计']).toEqual(HANGZHOU);
    // The trail leads back up, to the viewer's own agency and no further.
    expect(city.text).toMatch(
      /<a href="\/stats">浙江省<\/a>[\s\S]*<strong aria-current="page">杭州市<\/strong>/,
    );
    const id = (await t.knex('agencies').where({ code: '330105' }).first('id')).id;
    expect(censusTable((await (await as('city')).get(`/stats?region=${id}`)).text)).toEqual({
      拱墅区: GONGSHU,
    });
  });

  it('answers 404 outside the jurisdiction and for unknown regions', async () => {
    const county = await as('county');
    expect((await county.get('/stats?region=330105')).status).toBe(404); // the neighbour
    expect((await county.get('/stats?region=330100')).status).toBe(404); // its own city
    expect((await county.get('/stats.xlsx?region=330105')).status).toBe(404);
    const city = await as('city');
    expect((await city.get('/stats?region=320000')).status).toBe(404);
    expect((await city.get('/stats?region=nonsense')).status).toBe(404);
    expect((await city.get('/stats?region=330106&region=330105')).status).toBe(404);
  });

  it('is for regulators only', async () => {
    expect((await new Visitor(t.app).get('/stats')).status).toBe(302);
    const e = await createEnterprise(t, { username: 'stats_ent' });
    const v = new Visitor(t.app);
    await v.login(e.username, e.password);
    expect((await v.get('/stats')).status).toBe(404);
    expect((await v.get('/stats.xlsx')).status).toBe(404);
  });

  it('sorts by any column, laggards first, rows without a figure last', async () => {
    const city = await as('city');
    const order = async (sort: string) =>
      Object.keys(censusTable((await city.get(`/stats?sort=${sort}`)).text)).slice(0, 3);
    expect(await order('-stored')).toEqual(['西湖区', '拱墅区', '上城区']);
    expect(await order('rate')).toEqual(['西湖区', '拱墅区', '上城区']); // 33.3% < 50%, then none
    expect(await order('-rate')).toEqual(['拱墅区', '西湖区', '上城区']);
    expect(await order('-filed')).toEqual(['西湖区', '拱墅区', '上城区']);
    // An unknown sort falls back to the tree order; the direct and total rows stay at the end.
    const table = censusTable((await city.get('/stats?sort=bogus')).text);
    expect(Object.keys(table).slice(-2)).toEqual(['本级直接监管', '合计']);
    // The header links toggle the direction.
    const page = (await city.get('/stats?sort=-stored')).text;
    expect(page).toContain(
      'aria-sort="descending"><a class="sort-link sorted-descending" href="/stats?sort=stored">已入库',
    );
  });

  it('links each count to the list where the viewer can see those systems', async () => {
    const html = (await (await as('city')).get('/stats')).text;
    const xihu = html.match(
      /<tr class="row-child">\s*<th scope="row" title="[^"]*"><a href="\/stats\?region=330106">西湖区<\/a>[\s\S]*?<\/tr>/,
    );
    expect(xihu).not.toBeNull();
    const links = [...xihu![0].matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [
      m[1].replace(/&amp;/g, '&'),
      m[2],
    ]);
    expect(links).toEqual([
      ['/stats?region=330106', '西湖区'],
      // Waiting at this city: its own pending list, without what the statistics count as
      // 已退回 or 已入库 (a filing being returned, a change of a stored system).
      ['/review?region=330106&census=review', '1'],
      // At the province and at 总局: passed up by this city, narrowed to 西湖区 and that level.
      ['/tracking?status=upper_pending&region=330106&level=province&census=review', '1'],
      ['/tracking?status=upper_pending&region=330106&level=national&census=review', '1'],
      ['/stored?region=330106', '3'],
    ]);
    // The total's stored count lists the whole jurisdiction; the direct row's what the city
    // supervises itself, and that list holds exactly as many.
    expect(html).toMatch(/<tr class="row-total">[\s\S]*<a href="\/stored">5<\/a>/);
    const direct = html.match(/<tr class="row-direct">[\s\S]*?<a href="\/stored\?direct=1">(\d+)<\/a>/);
    expect(direct).not.toBeNull();
    const list = (await (await as('city')).get('/stored?direct=1')).text;
    expect(list).toContain(`共 <strong>${direct![1]}</strong> 条`);
  });
});

describe('统计分析: safety picture of the stored systems', () => {
  it('counts the stored versions by category, mineral, scale, grade, safety degree, licence and status', async () => {
    const html = (await (await as('national')).get('/stats')).text;
    const figure = (href: string) => {
      const m = html.match(
        new RegExp(`<a href="${href.replace(/[?]/g, '\\?').replace(/&/g, '&amp;')}">([^<]+)</a>`),
      );
      return m ? m[1] : null;
    };
    expect(html).toContain('共 <a href="/stored"><strong>6</strong></a> 个已入库系统');
    expect(figure('/stored?category=tailings')).toBe('2');
    expect(figure('/stored?category=underground')).toBe('1');
    expect(figure('/stored?category=open_pit')).toBe('1');
    expect(figure('/stored?category=excavation')).toBe('1');
    expect(figure('/stored?category=oil_gas_onshore')).toBe('1');
    expect(figure('/stored?mineral=gold')).toBe('1');
    expect(figure('/stored?mineral=limestone')).toBe('1');
    expect(figure('/stored?scale=medium')).toBe('1');
    expect(figure('/stored?scale=small')).toBe('1');
    expect(figure('/stored?scale=large')).toBeNull(); // zero: no link
    expect(figure('/stored?category=tailings&grade=4')).toBe('2');
    expect(figure('/stored?category=tailings&safety_degree=critical')).toBe('1');
    expect(figure('/stored?category=tailings&safety_degree=normal')).toBe('1');
    expect(figure('/stored?category=tailings&overhead=1')).toBe('1');
    expect(strip(html)).toContain('头顶库 1 座，下游1公里内居民共 200 人');
    expect(figure('/stored?licence=expired')).toBe('1');
    expect(figure('/stored?licence=expiring')).toBe('1');
    expect(figure('/stored?production_status=producing')).toBe('6');
    // 危库 is called out with a tag.
    expect(html).toMatch(/需重点关注[\s\S]*<span class="tag tag-red">危库<\/span>/);
  });

  it('links every figure to a stored query that lists exactly that many systems', async () => {
    const national = await as('national');
    const html = (await national.get('/stats?region=330100')).text;
    const links = [...html.matchAll(/<a href="(\/stored[^"]*)">(?:<strong>)?(\d+)(?:<\/strong>)?<\/a>/g)];
    expect(links.length).toBeGreaterThan(5);
    for (const [, href, count] of links) {
      const page = await national.get(href.replace(/&amp;/g, '&'));
      expect(page.status).toBe(200);
      expect(strip(page.text)).toContain(`共 ${count} 条`);
    }
  });

  it('narrows to the drilled-down region and links the stored query with it', async () => {
    const html = (await (await as('national')).get('/stats?region=330105')).text;
    expect(html).toContain('共 <a href="/stored?region=330105"><strong>1</strong></a> 个已入库系统');
    expect(html).toContain('<a href="/stored?region=330105&amp;mineral=limestone">1</a>');
    expect(html).toContain('暂无已入库的尾矿库');
  });

  it('draws the charts on the server as CSP-safe SVG with the series labels', async () => {
    const res = await (await as('city')).get('/stats');
    const svgs = res.text.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    const [progress, categories, degrees] = svgs;
    for (const label of ['已入库', '审核中', '已退回', '未提交', '西湖区', '拱墅区', '本级直接监管'])
      expect(progress).toContain(`>${label}</text>`);
    for (const label of ['尾矿库', '金属非金属地下矿山', '金属非金属露天矿山'])
      expect(categories).toContain(`>${label}</text>`);
    for (const label of ['正常库', '病库', '险库', '危库']) expect(degrees).toContain(`>${label}</text>`);
    for (const svg of svgs) {
      expect(svg).not.toMatch(/ style="/);
      expect(svg).not.toContain('<style');
      expect(svg).toMatch(/^<svg role="img" aria-label="[^"]+"/);
    }
    expect(res.headers['content-security-policy']).toContain("style-src 'self'");
  });

  it('shows an empty state where nothing is filed or stored', async () => {
    const html = (await (await as('national')).get('/stats?region=110000')).text;
    expect(html).toContain('北京市暂无生产系统');
    expect(html).toContain('北京市暂无已入库的生产系统');
    expect(html).not.toContain('<svg');
  });
});

function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('统计分析: Excel export', () => {
  it('has the page tables as sheets, with the same numbers as numbers', async () => {
    const v = await as('city');
    const page = censusTable((await v.get('/stats?sort=-stored')).text);
    const res = await v.get('/stats.xlsx?sort=-stored').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      '普查进度',
      '类别',
      '矿山矿种',
      '矿山规模',
      '尾矿库等别',
      '尾矿库安全度',
      '头顶库',
      '许可证预警',
      '生产状态',
      '说明',
    ]);
    const census = book.getWorksheet('普查进度')!;
    expect(census.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((census.getRow(1).values as unknown[]).slice(1)).toEqual([
      '地区/单位',
      '部门代码',
      '已填报',
      '审核中-县级',
      '审核中-市级',
      '审核中-省级',
      '审核中-总局',
      '审核中-小计',
      '已退回',
      '已入库',
      '入库率',
      '最久待审（天）',
      '未提交',
    ]);
    const sheetRows: Record<string, unknown[]> = {};
    census.eachRow((r, n) => {
      if (n > 1) sheetRows[String(r.getCell(1).value)] = (r.values as unknown[]).slice(3);
    });
    // Same rows, same order, same numbers as the page.
    expect(Object.keys(sheetRows)).toEqual(Object.keys(page));
    for (const [name, cells] of Object.entries(page)) {
      const asPage = Array.from(sheetRows[name], (x, i) =>
        i === 8
          ? x === null || x === undefined
            ? '—'
            : `${(Math.round(Number(x) * 1000) / 10).toFixed(1)}%`
          : (x ?? '—'),
      );
      expect(asPage.map(String)).toEqual(cells);
    }
    expect(sheetRows['西湖区'][0]).toBe(9); // numbers, not text
    expect(census.getRow(2).getCell(11).numFmt).toBe('0.0%');

    const degrees = book.getWorksheet('尾矿库安全度')!;
    const degreeRows: unknown[][] = [];
    degrees.eachRow((r, n) => {
      if (n > 1) degreeRows.push((r.values as unknown[]).slice(1));
    });
    expect(degreeRows).toEqual([
      ['正常库', 1],
      ['病库', 0],
      ['险库', 0],
      ['危库', 1],
    ]);
    const overhead = book.getWorksheet('头顶库')!;
    expect((overhead.getRow(2).values as unknown[]).slice(1)).toEqual([1, 200]);
  });
});

describe('统计分析: the national figures are warm from the start', () => {
  it('serves the figures computed at start-up, with the time they were taken', async () => {
    const cached = await startTestApp({ STATS_CACHE_SECONDS: '60' }, { reset: false, pools: t.pools });
    await cached.services.stats.warmUp();
    const warmedBy = new Date();
    const report = await cached.services.stats.report(reviewer.national, undefined);
    expect(report.asOf.getTime()).toBeLessThanOrEqual(warmedBy.getTime());
    expect(report.census.total.counts.total).toBeGreaterThan(0);
  });
});

describe('统计分析: every figure opens a list of exactly that many systems', () => {
  const decode = (href: string): string => href.replace(/&amp;/g, '&');
  const countOf = (html: string): number | null => {
    const m = /共 <strong>([\d,]+)<\/strong> 条/.exec(html);
    return m ? Number(m[1].replace(/,/g, '')) : null;
  };

  /** Follows every figure link of the page; returns what was compared. */
  async function followEveryLink(level: string, page: string): Promise<string[]> {
    const v = await as(level);
    const res = await v.get(page);
    expect(res.status).toBe(200);
    const links = [...res.text.matchAll(/<a href="([^"]+)">(?:<strong>)?([\d,]+)(?:<\/strong>)?<\/a>/g)]
      .map((m) => ({ href: decode(m[1]), figure: Number(m[2].replace(/,/g, '')) }))
      .filter((l) => /^\/(stored|review|tracking)\b/.test(l.href));
    const seen: string[] = [];
    for (const { href, figure } of links) {
      const list = await v.get(href);
      expect({ href, status: list.status, count: countOf(list.text) }).toEqual({
        href,
        status: 200,
        count: figure,
      });
      seen.push(href);
    }
    return seen;
  }

  it('as a county (西湖区)', async () => {
    const seen = await followEveryLink('county', '/stats');
    expect(seen).toContain('/review?census=review');
    expect(seen.filter((h) => h.startsWith('/tracking')).length).toBeGreaterThanOrEqual(3);
  });

  it('as a city (杭州市): 省级 per county in 信息追踪, 市级 without changes of stored systems', async () => {
    const seen = await followEveryLink('city', '/stats');
    expect(seen).toContain('/tracking?status=upper_pending&region=330106&level=province&census=review');
    expect(seen).toContain('/review?region=330106&census=review');
    expect(seen).toContain('/review?direct=1&census=review');
  });

  it('as a province (浙江省), on its own page and drilled down into 杭州市 and 西湖区', async () => {
    await followEveryLink('province', '/stats');
    const drilled = await followEveryLink('province', '/stats?region=330100');
    expect(drilled).toContain('/review?region=330100&census=review');
    expect(drilled).toContain('/tracking?status=upper_pending&region=330106&level=national&census=review');
    await followEveryLink('province', '/stats?region=330106');
  });

  it('as 总局, nationally and drilled down to a city', async () => {
    expect((await followEveryLink('national', '/stats')).length).toBeGreaterThan(10);
    await followEveryLink('national', '/stats?region=330100');
  });
});
