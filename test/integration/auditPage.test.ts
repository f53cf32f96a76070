import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { startTestApp, type TestApp } from '../support/app';
import { CHAIN, createAdmin, createRegulator, PASSWORD } from '../support/fixtures';
import { Visitor } from '../support/browser';
import { recordAudit } from '../../src/data/audit';

// 安全审计 (/audit): the auditor's filtered log, one record, the export of the filtered set, and
// every look at the log recorded in it. Roles × routes: roles.test.ts.
let t: TestApp;
let auditor: Visitor;
let auditorId: number;
let regulator: string;
let cityRegulator: string;

beforeAll(async () => {
  t = await startTestApp();
  regulator = (await createRegulator(t, CHAIN.county)).username; // reg_330106
  cityRegulator = (await createRegulator(t, CHAIN.city)).username; // reg_330100
  auditorId = (await createAdmin(t, 'auditor')).id;
  // Real logins: three wrong passwords of the county's account, one of the city's, one unknown name.
  for (const [name, password] of [
    [regulator, 'wrong-1'],
    [regulator, 'wrong-2'],
    [regulator, PASSWORD],
    [regulator, 'wrong-3'],
    [cityRegulator, 'wrong-4'],
    ['regX3301', 'wrong-4'],
    ['nobody_50%', 'wrong-5'],
  ])
    await new Visitor(t.app).login(name, password);
  // An old event, for the time range (2026-06-30 23:30 in China is still 15:30 UTC that day).
  await recordAudit(
    t.knex,
    {
      type: 'password.reset',
      actorId: null,
      actorName: 'old_admin',
      address: '10.9.9.9',
      object: 'reg_330106',
      result: 'success',
    },
    { at: new Date('2026-06-30T15:30:00Z') },
  );
  auditor = new Visitor(t.app);
  expect((await auditor.login('auditor', PASSWORD)).status).toBe(302);
});
afterAll(async () => t.close());

/** The seq of each row the page lists, in its order. */
const seqsOf = (html: string) =>
  [...html.matchAll(/aria-label="审计记录 (\d+) 详情"/g)].map((m) => Number(m[1]));

async function listed(query: string): Promise<number[]> {
  const res = await auditor.get(`/audit${query}`);
  expect(res.status).toBe(200);
  return seqsOf(res.text);
}

/** The seqs the database has for a condition, newest first. */
async function expected(where: (q: ReturnType<TestApp['knex']>) => void): Promise<number[]> {
  const q = t.knex('audit_log').orderBy('seq', 'desc');
  where(q);
  return (await q.pluck('seq')).map(Number);
}

function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function exported(query: string): Promise<{ res: Response; rows: unknown[][] }> {
  const res = await auditor.get(`/audit.xlsx${query}`).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as Parameters<typeof book.xlsx.load>[0]);
  const rows: unknown[][] = [];
  book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { res, rows };
}

describe('安全审计: the list', () => {
  it('lists the log newest first with a count', async () => {
    const res = await auditor.get('/audit');
    // The page is read before its own view is recorded: all but the newest row, 20 of them.
    const all = await expected(() => undefined);
    expect(seqsOf(res.text)).toEqual(all.slice(1, 21));
    expect(res.text).toContain(`共 <strong>${all.length - 1}</strong> 条记录`);
    expect(res.text).toContain('登录失败');
    expect(res.text).toContain('用户名不存在');
  });

  it('finds the failed logins of one account (exact), or of accounts beginning with a prefix', async () => {
    const failures = await expected((q) => q.where({ actor_username: regulator, result: 'failure' }));
    expect(failures).toHaveLength(3);
    expect(await listed(`?account=${regulator}&result=failure`)).toEqual(failures);
    expect(await listed(`?account=reg_3301&result=failure`)).toEqual([]);
    // The prefix is literal: reg_3301 does not match regX3301.
    expect(await listed(`?account=reg_3301&match=prefix&result=failure&type=login.failure`)).toEqual(
      await expected((q) =>
        q.whereIn('actor_username', [regulator, cityRegulator]).where({ result: 'failure' }),
      ),
    );
    expect(await listed(`?account=${regulator}&type=login.success`)).toEqual(
      await expected((q) => q.where({ actor_username: regulator, event_type: 'login.success' })),
    );
  });

  it('matches text literally: % and _ are no wildcards', async () => {
    expect(await listed('?q=50%25')).toEqual(
      await expected((q) => q.where({ actor_username: 'nobody_50%' })),
    );
    expect(await listed('?q=%25')).toHaveLength(1);
    expect(await listed('?q=10.9.9')).toEqual(await expected((q) => q.where({ address: '10.9.9.9' })));
    expect(await listed('?q=x_x')).toEqual([]);
  });

  it('reads the time range as China days, both ends included', async () => {
    const old = await expected((q) => q.where({ actor_username: 'old_admin' }));
    expect(await listed('?from=2026-06-30&to=2026-06-30')).toEqual(old);
    expect(await listed('?to=2026-06-30')).toEqual(old);
    expect(await listed('?from=2026-07-01&account=old_admin')).toEqual([]);
  });

  it('keeps the page and names a filter it cannot read (400), and an export with it refuses', async () => {
    const res = await auditor.get('/audit?type=nonsense&from=2026-02-30&result=failure');
    expect(res.status).toBe(400);
    expect(res.text).toContain('查询条件“起始日期”“事件类型”的取值无法识别');
    expect(seqsOf(res.text)).toEqual(await expected((q) => q.where({ result: 'failure' })));
    const xlsx = await auditor.get('/audit.xlsx?type=nonsense');
    expect(xlsx.status).toBe(400);
    expect(xlsx.text).toContain(
      '查询条件“事件类型”的取值无法识别，已忽略该条件，请重新选择查询条件后再导出。',
    );
  });

  it('pages the list, 20 to a page, and keeps the filters in the page links', async () => {
    for (let i = 0; i < 25; i += 1)
      await recordAudit(t.knex, {
        type: 'logout',
        actorId: null,
        actorName: 'pager',
        address: null,
        result: 'success',
      });
    const res = await auditor.get('/audit?account=pager');
    expect(res.text).toContain('共 <strong>25</strong> 条记录');
    expect(seqsOf(res.text)).toHaveLength(20);
    expect(res.text).toContain('href="/audit?account=pager&amp;page=2"');
    expect(await listed('?account=pager&page=2')).toHaveLength(5);
  });
});

describe('安全审计: one record', () => {
  it('shows every field, the detail in readable form, its seq and hash', async () => {
    await recordAudit(t.knex, {
      type: 'security.setting_change',
      actorId: auditorId,
      address: '10.1.2.3',
      object: '安全策略',
      result: 'success',
      detail: { changed: ['密码最短长度'] },
    });
    const row = await t.knex('audit_log').orderBy('seq', 'desc').first();
    const res = await auditor.get(`/audit/${row.id}`);
    expect(res.status).toBe(200);
    for (const text of [
      '安全策略变更',
      'security.setting_change',
      '审计管理员',
      '10.1.2.3',
      row.hash,
      row.prev_hash,
      `审计记录 ${row.seq}`,
    ])
      expect(res.text).toContain(text);
    expect(res.text).toContain('&#34;changed&#34;: [\n    &#34;密码最短长度&#34;');
  });

  it('answers 404 to an id that is malformed or names nothing', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '9999999', '12345678901'])
      expect((await auditor.get(`/audit/${id}`)).status).toBe(404);
  });

  it('goes back to the filtered list it was opened from', async () => {
    const list = await auditor.get(`/audit?account=${regulator}&result=failure`);
    const href = /href="(\/audit\/\d+\?from=[^"]+)"/.exec(list.text)![1].replace(/&amp;/g, '&');
    const res = await auditor.get(href);
    expect(res.text).toContain(`href="/audit?account=${regulator}&amp;result=failure"`);
  });
});

describe('安全审计: the Excel export', () => {
  it('has exactly the rows of the filtered list (all its pages), columns as the page', async () => {
    const query = '?account=pager';
    const onPages = [...(await listed(query)), ...(await listed(`${query}&page=2`))];
    const { res, rows } = await exported(query);
    expect(decodeURIComponent(res.headers['content-disposition'])).toMatch(
      /安全审计日志-全部-\d{4}-\d{2}-\d{2}\.xlsx/,
    );
    expect(rows[0]).toEqual([
      '序号',
      '时间',
      '事件',
      '账号',
      '角色',
      '所属单位 / 企业',
      '来源地址',
      '对象',
      '结果',
      '原因',
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(onPages);
    expect(rows.slice(1).every((r) => r[2] === '退出登录' && r[3] === 'pager' && r[8] === '成功')).toBe(true);
  });

  it('exports the failed logins of one account with what the page shows', async () => {
    const query = `?account=${regulator}&result=failure`;
    const page = await auditor.get(`/audit${query}`);
    const { rows } = await exported(query);
    expect(rows.slice(1).map((r) => r[0])).toEqual(seqsOf(page.text));
    expect(rows.slice(1).map((r) => [r[2], r[3], r[4], r[5], r[8], r[9]])).toEqual(
      Array(3).fill(['登录失败', regulator, '监管部门', expect.any(String), '失败', '密码错误']),
    );
  });
});

describe('安全审计: looking at the log is recorded', () => {
  const last = () => t.knex('audit_log').orderBy('seq', 'desc').first();

  it('records each list view with its filters, each record view, and each export with its count', async () => {
    await auditor.get(`/audit?account=${regulator}&result=failure&page=1`);
    expect(await last()).toMatchObject({
      event_type: 'audit.view',
      actor_user_id: auditorId,
      actor_username: 'auditor',
      actor_role: 'auditor',
      result: 'success',
      detail: { filters: { account: regulator, result: 'failure' }, page: 1, total: 3 },
    });
    const some = await t.knex('audit_log').orderBy('seq').first();
    await auditor.get(`/audit/${some.id}`);
    expect(await last()).toMatchObject({
      event_type: 'audit.view',
      object: `审计记录 ${some.seq}`,
      detail: { id: some.id, seq: some.seq },
    });
    await exported(`?account=${regulator}&result=failure`);
    expect(await last()).toMatchObject({
      event_type: 'export.xlsx',
      actor_username: 'auditor',
      object: 'audit',
      detail: { page: 'audit', filters: { account: regulator, result: 'failure' }, rows: 3 },
    });
  });

  it('records nothing for a refused export', async () => {
    const before = (await last()).seq;
    await auditor.get('/audit.xlsx?result=maybe');
    expect((await last()).seq).toBe(before);
  });
});
