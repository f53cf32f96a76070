import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor, type Form } from '../support/browser';
import { agency, CHAIN, createRegulator, PASSWORD } from '../support/fixtures';
import { systemsRepo } from '../../src/data/systems';
import { exampleSystemData, validateSystem, type Category } from '../../src/domain/systems';
import type { CurrentUser } from '../../src/services/session';
import { statementsDuring } from '../support/statements';
import { fileThrough } from '../support/filings';
import { reviewer as persona, signedIn } from '../support/personas';

/**
 * Statements of one POST /review/:id/approve, the signed-in user's lookup, BEGIN and COMMIT
 * included: 15 when the review service read and checked the row before the workflow locked it and
 * named the destination agency afterwards; 13 in one pass.
 */
const APPROVAL_STATEMENTS = 13;

// 审核与报送 through HTTP, as reviewers use it: pages, forms with CSRF tokens, redirects.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const reviewers = new Map<string, { visitor: Visitor; user: CurrentUser }>();

/** A signed-in reviewer of the agency (one per agency code, created on first use). */
async function reviewer(code: string): Promise<Visitor> {
  let r = reviewers.get(code);
  if (!r) {
    r = { visitor: await signedIn(t, code), user: (await persona(t, code)).user };
    reviewers.set(code, r);
  }
  return r.visitor;
}

async function reviewerUser(code: string): Promise<CurrentUser> {
  await reviewer(code);
  return reviewers.get(code)!.user;
}

/** A second, independent session of another reviewer of the same agency. */
async function secondReviewer(code: string, username: string): Promise<Visitor> {
  const reg = await createRegulator(t, code, { username });
  const visitor = new Visitor(t.app);
  expect((await visitor.login(reg.username, PASSWORD)).status).toBe(302);
  return visitor;
}

/** A system of a new enterprise supervised by `code`, submitted: waiting at `code`. */
const submitted = (
  code: string,
  category: Category = 'open_pit',
  opts: { name?: string; enterpriseName?: string } = {},
) =>
  fileThrough(t, 'submitted', {
    supervisingCode: code,
    category,
    overrides: opts.name ? { name: opts.name } : {},
    enterpriseName: opts.enterpriseName,
  });

const seqOf = (html: string): string => {
  const m = html.match(/name="seq" value="(\d+)"/);
  if (!m) throw new Error('no seq on the page');
  return m[1];
};

/** Opens the detail like a browser and posts one of its forms (with its token and seq). */
async function act(v: Visitor, id: number, action: 'approve' | 'return', form: Form = {}) {
  const page = await v.get(`/review/${id}`);
  expect(page.status).toBe(200);
  // As the browser posts it once its confirm was accepted (no-JS confirmations: confirmations.test.ts).
  const confirmed = page.text.includes('name="confirmed"') ? '1' : undefined;
  return v.postWithToken(
    `/review/${id}/${action}`,
    { seq: seqOf(page.text), confirmed, ...form },
    csrfFrom(page.text),
  );
}

async function position(id: number) {
  const s = await systemsRepo(t.knex).byId(id);
  return { state: s!.state, agencyId: s!.current_agency_id, arrival: s!.arrival, seq: s!.workflow_seq };
}

const historyCount = async (id: number): Promise<number> =>
  (await t.knex('history').where({ system_id: id })).length;

/** The rows of the pending list: id and the arrival label shown. */
function listRows(html: string): { id: number; label: string; bulkable: boolean }[] {
  return html
    .split('<tr data-history-url="')
    .slice(1)
    .map((chunk) => {
      const row = chunk.slice(0, chunk.indexOf('</tr>'));
      return {
        id: Number(row.match(/^\/review\/(\d+)\/history/)![1]),
        label: row.match(/class="tag tag-\w+">([^<]+)</)![1],
        bulkable: row.includes('name="ids"'),
      };
    });
}

const flashes = async (v: Visitor): Promise<string> => (await v.get('/review')).text;

describe('the full chain through the review pages', () => {
  const chains: [string, string, string[]][] = [
    [
      'a county-supervised enterprise',
      CHAIN.county,
      [CHAIN.county, CHAIN.city, CHAIN.province, CHAIN.national],
    ],
    ['a city-supervised enterprise', CHAIN.city, [CHAIN.city, CHAIN.province, CHAIN.national]],
    ['a municipality district (北京 东城区)', '110101', ['110101', '110000', CHAIN.national]],
    [
      'an offshore enterprise (天津监督处)',
      'HYAB-CNOOC-TJ',
      ['HYAB-CNOOC-TJ', 'HYAB-CNOOC', 'HYAB', CHAIN.national],
    ],
  ];

  it.each(chains)('approves %s level by level until it is stored', async (_label, supervising, chain) => {
    const category: Category = supervising.startsWith('HYAB') ? 'oil_gas_offshore' : 'tailings';
    const s = await submitted(supervising, category);
    for (let i = 0; i < chain.length; i++) {
      const v = await reviewer(chain[i]);
      const list = (await v.get('/review')).text;
      // The selection column is named even when no row can be bulk approved (axe empty-table-header).
      expect(list).toContain('<th class="col-check"><span class="visually-hidden">批量选择</span>');
      const row = listRows(list).find((r) => r.id === s.id);
      expect(row?.label).toBe(i === 0 ? '企业提交' : '下级报送');
      // Storing is asked once more, in the detail and for a bulk approval; reporting up is not.
      const stores = i === chain.length - 1;
      const detailPage = (await v.get(`/review/${s.id}`)).text;
      expect(
        detailPage.includes('该信息将正式入库（全国非煤矿山安全生产基本情况数据库）。确定审核通过吗？'),
      ).toBe(stores);
      expect(list).toContain(stores ? '审核通过并正式入库' : '审核通过并逐项报送上级');
      const res = await act(v, s.id, 'approve', { comment: i === 1 ? '同意' : '' });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/review');
      const next = i + 1 < chain.length ? (await agency(t, chain[i + 1])).name : null;
      const page = await flashes(v);
      expect(page).toContain(
        next ? `“${s.name}”已审核通过，已报送至${next}` : `“${s.name}”已审核通过，已入库`,
      );
      expect(listRows(page).some((r) => r.id === s.id)).toBe(false);
    }
    expect(await position(s.id)).toMatchObject({ state: 'stored', agencyId: null });
    expect(await historyCount(s.id)).toBe(1 + chain.length);
    // The national reviewer acted on it: the detail stays readable, without forms.
    const detail = await (await reviewer(CHAIN.national)).get(`/review/${s.id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('当前位置：<strong>已入库</strong>');
    expect(detail.text).not.toContain(`/review/${s.id}/approve`);
    expect(detail.text).not.toContain(`/review/${s.id}/return`);
  });

  it('cascades a national return down level by level to the enterprise, each level adding its reason', async () => {
    const s = await submitted(CHAIN.county, 'tailings');
    for (const code of [CHAIN.county, CHAIN.city, CHAIN.province])
      expect((await act(await reviewer(code), s.id, 'approve')).status).toBe(302);

    const national = await reviewer(CHAIN.national);
    const res = await act(national, s.id, 'return', {
      reason: '现状坝高与评价报告不一致',
      fields: ['current_dam_height', 'safety_degree'],
    });
    expect(res.status).toBe(302);
    expect(await flashes(national)).toContain(`“${s.name}”已退回至浙江省安全生产监督管理局`);

    const down: [string, string][] = [
      [CHAIN.province, '同意总局意见'],
      [CHAIN.city, '请县局督促企业核实'],
      [CHAIN.county, '请企业核实坝高后重新提交'],
    ];
    let upperReason = '现状坝高与评价报告不一致';
    for (const [code, reason] of down) {
      const v = await reviewer(code);
      expect(listRows((await v.get('/review')).text).find((r) => r.id === s.id)).toMatchObject({
        label: '上级退回',
        bulkable: false,
      });
      const detail = await v.get(`/review/${s.id}`);
      // The upper level's reason stands at the top; only the return form is offered.
      expect(detail.text).toMatch(new RegExp(`class="callout-reason">${upperReason}<`));
      expect(detail.text).not.toContain(`action="/review/${s.id}/approve"`);
      expect(detail.text).toContain(`action="/review/${s.id}/return"`);
      // The fields the upper level pointed at are ticked in advance.
      expect(detail.text).toContain('value="current_dam_height" checked');
      expect((await act(v, s.id, 'return', { reason, fields: ['current_dam_height'] })).status).toBe(302);
      upperReason = reason;
    }
    expect(await position(s.id)).toMatchObject({ state: 'returned', agencyId: null, arrival: null });
    expect(await flashes(await reviewer(CHAIN.county))).toContain(`“${s.name}”已退回企业`);
    const returns = await t.knex('history').where({ system_id: s.id, action: 'return' }).orderBy('seq');
    expect(returns.map((r) => r.note)).toEqual([
      '现状坝高与评价报告不一致',
      '同意总局意见',
      '请县局督促企业核实',
      '请企业核实坝高后重新提交',
    ]);
    expect(returns[0].fields).toEqual(['current_dam_height', 'safety_degree']);
    const messages = await t.knex('messages').where({ system_id: s.id });
    expect(messages.map((m) => m.kind)).toEqual(['returned']);
  });

  it('goes back to the filtered list it was opened from, after an approval too', async () => {
    const s = await submitted(CHAIN.county, 'tailings');
    const county = await reviewer(CHAIN.county);
    const list = await county.get('/review?category=tailings');
    const link = `/review/${s.id}?from=category%3Dtailings`;
    expect(list.text).toContain(`href="${link}"`);
    const detail = await county.get(link);
    expect(detail.text).toContain('<a href="/review?category=tailings">待审核</a>');
    expect(detail.text).toContain('name="from" value="category=tailings"');
    const res = await county.postWithToken(
      `/review/${s.id}/approve`,
      { seq: seqOf(detail.text), from: 'category=tailings' },
      csrfFrom(detail.text),
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/review?category=tailings');
  });

  it("opens the inline history's 查看详情 with the list it belongs to", async () => {
    const s = await submitted(CHAIN.county, 'tailings');
    const county = await reviewer(CHAIN.county);
    const list = (await county.get('/review?category=tailings')).text;
    expect(list).toContain(`data-history-url="/review/${s.id}/history?from=category%3Dtailings"`);
    const panel = (await county.get(`/review/${s.id}/history?from=category%3Dtailings`)).text;
    expect(panel).toContain(`href="/review/${s.id}?from=category%3Dtailings"`);
    // Without JavaScript, ?selected= renders the same panel in the page, with the same link.
    const selected = (await county.get(`/review?category=tailings&selected=${s.id}`)).text;
    expect(selected).toContain(`href="/review/${s.id}?from=category%3Dtailings"`);
  });

  it('refuses approve on an 上级退回 item (409) and changes nothing', async () => {
    const s = await submitted(CHAIN.county);
    await act(await reviewer(CHAIN.county), s.id, 'approve');
    await act(await reviewer(CHAIN.city), s.id, 'return', { reason: '请补充许可证信息' });
    const before = await position(s.id);
    const rows = await historyCount(s.id);

    const county = await reviewer(CHAIN.county);
    const page = await county.get(`/review/${s.id}`);
    const res = await county.postWithToken(
      `/review/${s.id}/approve`,
      { seq: seqOf(page.text) },
      csrfFrom(page.text),
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain('上级退回的信息只能继续退回，不能审核通过');
    expect(await position(s.id)).toEqual(before);
    expect(await historyCount(s.id)).toBe(rows);
  });
});

describe('the cost of an approval', () => {
  it('approves from the detail form in a bounded number of statements', async () => {
    const s = await submitted(CHAIN.county);
    const county = await reviewer(CHAIN.county);
    const page = await county.get(`/review/${s.id}`);
    let status = 0;
    const statements = await statementsDuring(t.knex, async () => {
      const res = await county.postWithToken(
        `/review/${s.id}/approve`,
        { seq: seqOf(page.text) },
        csrfFrom(page.text),
      );
      status = res.status;
    });
    expect(status).toBe(302);
    expect(await position(s.id)).toMatchObject({ state: 'pending' });
    expect(statements.length).toBeLessThanOrEqual(APPROVAL_STATEMENTS);
  });
});

describe('races and stale pages', () => {
  it('lets exactly one of two simultaneous approvals from two sessions win', async () => {
    const s = await submitted(CHAIN.county);
    const first = await reviewer(CHAIN.county);
    const second = await secondReviewer(CHAIN.county, 'county_colleague');
    const [p1, p2] = await Promise.all([first.get(`/review/${s.id}`), second.get(`/review/${s.id}`)]);
    const rows = await historyCount(s.id);
    const results = await Promise.all([
      first.postWithToken(`/review/${s.id}/approve`, { seq: seqOf(p1.text) }, csrfFrom(p1.text)),
      second.postWithToken(`/review/${s.id}/approve`, { seq: seqOf(p2.text) }, csrfFrom(p2.text)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 409]);
    expect(results.find((r) => r.status === 409)!.text).toContain('该信息已被处理');
    expect(await historyCount(s.id)).toBe(rows + 1);
    expect((await position(s.id)).arrival).toBe('lower_submitted');
  });

  it('refuses a form from a page that has gone stale, even when the action would now be allowed', async () => {
    const s = await submitted(CHAIN.county);
    const county = await reviewer(CHAIN.county);
    const stalePage = await county.get(`/review/${s.id}`);
    // Meanwhile it goes up and comes back down as 上级退回: the county may return it again.
    await act(county, s.id, 'approve');
    await act(await reviewer(CHAIN.city), s.id, 'return', { reason: '核实从业人员数' });
    const before = await position(s.id);
    const res = await county.postWithToken(
      `/review/${s.id}/return`,
      { seq: seqOf(stalePage.text), reason: '基于旧页面的退回' },
      csrfFrom(stalePage.text),
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain('该信息已被处理');
    expect(await position(s.id)).toEqual(before);
  });

  it('says 已被处理 rather than asking for a reason when the page was stale anyway', async () => {
    const s = await submitted(CHAIN.county);
    const county = await reviewer(CHAIN.county);
    const page = await county.get(`/review/${s.id}`);
    await act(county, s.id, 'approve');
    const res = await county.postWithToken(
      `/review/${s.id}/return`,
      { seq: seqOf(page.text), reason: '' },
      csrfFrom(page.text),
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain('该信息已被处理');
    expect(res.text).not.toContain('请填写退回理由');
  });
});

describe('jurisdiction and CSRF', () => {
  it('answers 404 to a foreign agency for the detail, the history fragment and both actions', async () => {
    const s = await submitted(CHAIN.county);
    const neighbour = await reviewer('330105');
    const token = csrfFrom((await neighbour.get('/review')).text);
    expect((await neighbour.get(`/review/${s.id}`)).status).toBe(404);
    expect((await neighbour.get(`/review/${s.id}/history`)).status).toBe(404);
    expect((await neighbour.postWithToken(`/review/${s.id}/approve`, { seq: '1' }, token)).status).toBe(404);
    expect(
      (await neighbour.postWithToken(`/review/${s.id}/return`, { reason: 'x', seq: '1' }, token)).status,
    ).toBe(404);
    // Not even the upper level before it arrived there.
    expect((await (await reviewer(CHAIN.city)).get(`/review/${s.id}`)).status).toBe(404);
    // Not in the list's history panel either.
    expect((await neighbour.get(`/review?selected=${s.id}`)).text).not.toContain('操作历史：');
    expect((await position(s.id)).arrival).toBe('enterprise_submitted');
  });

  it('answers 404 to ids that name nothing', async () => {
    const county = await reviewer(CHAIN.county);
    for (const url of [
      '/review/abc',
      '/review/99999999',
      '/review/0',
      '/review/1e3/history',
      '/review/bulk-approve',
    ])
      expect((await county.get(url)).status).toBe(404);
  });

  it('keeps enterprises out of /review', async () => {
    const s = await submitted(CHAIN.county);
    const v = new Visitor(t.app);
    await v.login(s.enterprise.username, PASSWORD);
    expect((await v.get('/review')).status).toBe(404);
    expect((await v.get(`/review/${s.id}`)).status).toBe(404);
    expect((await v.get(`/review/${s.id}/history`)).status).toBe(404);
  });

  it('refuses a post without the CSRF token (403) and changes nothing', async () => {
    const s = await submitted(CHAIN.county);
    const county = await reviewer(CHAIN.county);
    const page = await county.get(`/review/${s.id}`);
    const before = await position(s.id);
    const approve = await county.postWithToken(
      `/review/${s.id}/approve`,
      { seq: seqOf(page.text) },
      undefined,
    );
    expect(approve.status).toBe(403);
    const bulk = await county.postWithToken('/review/bulk-approve', { ids: String(s.id) }, undefined);
    expect(bulk.status).toBe(403);
    expect(await position(s.id)).toEqual(before);
    expect(await historyCount(s.id)).toBe(1);
  });
});

describe('the detail page and its forms', () => {
  /** A tailings pond returned by the city to the enterprise, corrected and resubmitted (v2). */
  async function resubmitted() {
    const s = await submitted(CHAIN.county, 'tailings');
    await act(await reviewer(CHAIN.county), s.id, 'approve');
    await act(await reviewer(CHAIN.city), s.id, 'return', {
      reason: '现状坝高有误',
      fields: ['current_dam_height'],
    });
    await act(await reviewer(CHAIN.county), s.id, 'return', {
      reason: '请企业核实现状坝高',
      fields: ['current_dam_height'],
    });
    const input = {
      ...exampleSystemData('tailings'),
      name: s.name,
      current_dam_height: '29.8',
      current_capacity: '80',
    };
    await systemsRepo(t.knex).updateDraft(s.id, s.name, validateSystem('tailings', input, 'draft').data);
    await t.services.workflow.submit(s.owner, s.id);
    return s;
  }

  it('shows the enterprise, the frozen version with labels and units, and what changed since the last version', async () => {
    const s = await resubmitted();
    const county = await reviewer(CHAIN.county);
    const page = await county.get(`/review/${s.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<h1><span class="detail-kicker">审核详情</span>${s.name}</h1>`);
    expect(page.text).toContain(s.enterprise.name);
    expect(page.text).toContain('浙江省杭州市西湖区');
    expect(page.text).toContain('第 2 版');
    expect(page.text).toContain('与第 1 版相比修改了 <strong>2</strong> 项');
    expect(page.text).toContain('退回指出 <strong>1</strong> 项');
    // The changed field, with its unit and the value it had before.
    expect(page.text).toMatch(/id="field-current_dam_height"[\s\S]*?29\.8 m[\s\S]*?原值：31\.5 m/);
    expect(page.text).toContain('data-item is-changed is-flagged" id="field-current_dam_height"');
    // Every reason in the history.
    expect(page.text).toContain('现状坝高有误');
    expect(page.text).toContain('请企业核实现状坝高');
    // ?changes=only keeps only the changed and flagged fields.
    const only = await county.get(`/review/${s.id}?changes=only`);
    expect(only.text).toContain('id="field-current_dam_height"');
    expect(only.text).toContain('id="field-current_capacity"');
    expect(only.text).not.toContain('id="field-design_capacity"');
    expect(only.text).toContain('显示全部字段');
  });

  it('re-renders the return form with the error beside the reason and what was typed kept (422)', async () => {
    const s = await submitted(CHAIN.county, 'tailings');
    const county = await reviewer(CHAIN.county);
    const res = await act(county, s.id, 'return', { reason: '   ', fields: ['grade', 'current_dam_height'] });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<p class="field-message" id="reason-error">请填写退回理由</p>');
    expect(res.text).toContain('value="grade" checked');
    expect(res.text).toContain('value="current_dam_height" checked');
    expect(res.text).toContain('<a href="#reason">退回理由：请填写退回理由</a>');

    const long = await act(county, s.id, 'approve', { comment: '长'.repeat(501) });
    expect(long.status).toBe(422);
    expect(long.text).toContain('审核意见不能超过 500 个字符');
    expect(long.text).toContain('长'.repeat(501));

    const unknownField = await act(county, s.id, 'return', { reason: '有误', fields: ['no_such_field'] });
    expect(unknownField.status).toBe(422);
    expect(unknownField.text).toContain('所选问题字段无效');

    const badSeq = await county.postWithToken(
      `/review/${s.id}/approve`,
      { seq: 'x' },
      csrfFrom((await county.get(`/review/${s.id}`)).text),
    );
    expect(badSeq.status).toBe(400);
    expect(await historyCount(s.id)).toBe(1);
  });
});

describe('bulk approve', () => {
  it('approves each ticked item on its own and reports the one already handled', async () => {
    const a = await submitted(CHAIN.county, 'open_pit', { name: '批量甲矿' });
    const b = await submitted(CHAIN.county, 'open_pit', { name: '批量乙矿' });
    const county = await reviewer(CHAIN.county);
    const listPage = await county.get('/review');
    // A colleague handles b first.
    await t.services.workflow.approve(await reviewerUser(CHAIN.county), b.id, undefined);
    const res = await county.postWithToken(
      '/review/bulk-approve',
      { ids: [String(a.id), String(b.id)], back: '/review?sort=recent', confirmed: '1' },
      csrfFrom(listPage.text),
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/review?sort=recent');
    const page = (await county.get(res.headers.location)).text;
    expect(page).toContain('批量审核通过：成功 1 项，失败 1 项。');
    expect(page).toContain(`成功（已报送至杭州市安全生产监督管理局）：“${a.name}”`);
    expect(page).toContain(`“${b.name}” 失败：该信息已被处理`);
    for (const id of [a.id, b.id])
      expect(await t.knex('history').where({ system_id: id, action: 'approve' })).toHaveLength(1);
  });

  it('refuses 上级退回 and foreign items by name or number, and caps the count', async () => {
    const back = await submitted(CHAIN.county);
    await act(await reviewer(CHAIN.county), back.id, 'approve');
    await act(await reviewer(CHAIN.city), back.id, 'return', { reason: '请核实' });
    const foreign = await submitted('330105');
    const county = await reviewer(CHAIN.county);
    const token = csrfFrom((await county.get('/review')).text);
    await county.postWithToken(
      '/review/bulk-approve',
      { ids: [String(back.id), String(foreign.id)], confirmed: '1' },
      token,
    );
    const page = (await county.get('/review')).text;
    expect(page).toContain('成功 0 项，失败 2 项');
    expect(page).toContain(`“${back.name}” 失败：上级退回的信息只能继续退回，不能审核通过`);
    expect(page).toContain(`“编号 ${foreign.id}” 失败：不存在或无权访问`);
    expect(page).not.toContain(foreign.name);
    expect((await position(foreign.id)).arrival).toBe('enterprise_submitted');

    const many = Array.from({ length: 101 }, (_, i) => String(i + 1));
    await county.postWithToken('/review/bulk-approve', { ids: many }, token);
    expect((await county.get('/review')).text).toContain('一次最多批量审核通过 100 项');
    await county.postWithToken('/review/bulk-approve', {}, token);
    expect((await county.get('/review')).text).toContain('请先勾选要审核通过的信息');
  });
});

describe('the pending list', () => {
  it('shows all three arrival states with their labels, filters them and shows a history below the list', async () => {
    const city = await reviewer(CHAIN.city);
    const own = await submitted(CHAIN.city, 'tailings', { enterpriseName: '钱塘直管矿业有限公司' });
    const lower = await submitted(CHAIN.county, 'open_pit');
    await act(await reviewer(CHAIN.county), lower.id, 'approve');
    const upper = await submitted(CHAIN.county, 'underground');
    await act(await reviewer(CHAIN.county), upper.id, 'approve');
    await act(city, upper.id, 'approve');
    await act(await reviewer(CHAIN.province), upper.id, 'return', { reason: '井深有误' });
    const fromBinjiang = await submitted('330108', 'open_pit');
    await act(await reviewer('330108'), fromBinjiang.id, 'approve');

    const mine = [own.id, lower.id, upper.id, fromBinjiang.id];
    const rows = (html: string) => listRows(html).filter((r) => mine.includes(r.id));
    const all = await city.get('/review');
    expect(rows(all.text)).toEqual(
      expect.arrayContaining([
        { id: own.id, label: '企业提交', bulkable: true },
        { id: lower.id, label: '下级报送', bulkable: true },
        { id: upper.id, label: '上级退回', bulkable: false },
        { id: fromBinjiang.id, label: '下级报送', bulkable: true },
      ]),
    );
    // Each row links to its detail and to its history below the list.
    expect(all.text).toContain(`href="/review/${own.id}"`);
    expect(all.text).toContain(`href="/review?selected=${own.id}#history-panel"`);

    const ids = async (query: string) =>
      rows((await city.get(`/review?${query}`)).text)
        .map((r) => r.id)
        .sort();
    expect(await ids('state=upper_returned')).toEqual([upper.id]);
    expect(await ids('state=lower_submitted')).toEqual([lower.id, fromBinjiang.id].sort());
    expect(await ids('category=tailings')).toEqual([own.id]);
    expect(await ids(`region=${CHAIN.county}`)).toEqual([lower.id, upper.id].sort());
    expect(await ids('region=330108')).toEqual([fromBinjiang.id]);
    expect(await ids(`region=${CHAIN.city}`)).toEqual([own.id]);
    expect(await ids(`q=${encodeURIComponent('钱塘直管')}`)).toEqual([own.id]);
    const code = (await t.knex('enterprises').where({ id: lower.enterprise.id }).first()).credit_code;
    expect(await ids(`q=${code}`)).toEqual([lower.id]);
    expect(await ids(`state=lower_submitted&region=${CHAIN.county}&category=open_pit`)).toEqual([lower.id]);
    // A filter not understood: the same page with that filter ignored, saying so, 400.
    const bogus = await city.get('/review?state=bogus&category=tailings');
    expect(bogus.status).toBe(400);
    expect(bogus.text).toContain('查询条件“状态”的取值无法识别，已忽略该条件');
    expect(rows(bogus.text).map((r) => r.id)).toEqual([own.id]);

    // Filters stay in the links of the page (tabs keep the other filters).
    const filtered = await city.get(`/review?category=open_pit&region=${CHAIN.county}`);
    expect(filtered.text).toContain(
      `href="/review?state=upper_returned&amp;category=open_pit&amp;region=${CHAIN.county}"`,
    );
    expect(filtered.text).toContain('<option value="open_pit" selected>');

    const none = await city.get('/review?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA');
    expect(none.text).toContain('没有符合筛选条件的待审核信息');

    // ?selected=ID shows that system's history below the list; the fragment is the same panel.
    const selected = await city.get(`/review?selected=${upper.id}`);
    expect(selected.text).toContain(`操作历史：${upper.name}`);
    expect(selected.text).toContain('井深有误');
    expect(selected.text).toMatch(
      new RegExp(`data-select-url="[^"]*selected=${upper.id}[^"]*" class="selected"`),
    );
    const fragment = await city.get(`/review/${upper.id}/history`);
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain(`操作历史：${upper.name}`);
    expect(fragment.text).toContain('井深有误');
  });

  it('lists oldest first, pages by 20 with the total, and offers a county no 下级报送', async () => {
    const county = await reviewer('330110');
    const empty = await county.get('/review');
    expect(empty.text).toContain('暂无待审核的信息');
    expect(empty.text).not.toContain('下级报送');
    expect(empty.text).not.toContain('下级地区');
    const made: number[] = [];
    for (let i = 0; i < 23; i++) made.push((await submitted('330110', 'open_pit')).id);
    // Older arrivals first by default: make the last one the oldest.
    await t
      .knex('production_systems')
      .where({ id: made[22] })
      .update({
        state_changed_at: t.knex.raw("now() - interval '12 days'"),
      });
    const first = await county.get('/review');
    expect(first.text).toContain('共 <strong>23</strong> 条，第 1 / 2 页');
    const firstRows = listRows(first.text);
    expect(firstRows).toHaveLength(20);
    expect(firstRows[0].id).toBe(made[22]);
    expect(first.text).toMatch(/<span class="wait [^"]*wait-long">12 天<\/span>/);
    const second = await county.get('/review?page=2');
    expect(listRows(second.text)).toHaveLength(3);
    const recent = await county.get('/review?sort=recent&page=2');
    expect(listRows(recent.text).map((r) => r.id)).toContain(made[22]);
    // A page past the end shows the last page.
    expect(listRows((await county.get('/review?page=9')).text)).toHaveLength(3);
  });
});
