import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { CHAIN } from '../support/fixtures';
import { bringTo, fileThrough } from '../support/filings';
import { reviewer as persona, signedIn } from '../support/personas';
import type { CurrentUser } from '../../src/services/session';

// 变更 as a first-class label, return rounds whose flags end when a later submission is stored,
// and the enterprise's message quoting every level's reason of the round (issue 12, item 2).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const LEVELS = [CHAIN.county, CHAIN.city, CHAIN.province, CHAIN.national] as const;
const users = new Map<string, { user: CurrentUser; visitor: Visitor }>();

async function reviewer(code: string) {
  let r = users.get(code);
  if (!r) {
    r = { user: (await persona(t, code)).user, visitor: await signedIn(t, code) };
    users.set(code, r);
  }
  return r;
}

/** A system returned from 总局 down to the enterprise, every level giving its reason. */
async function returnedFromTop() {
  const {
    enterprise: e,
    owner: ent,
    id,
  } = await fileThrough(t, 'pending@national', { category: 'tailings' });
  const reasons = ['总局：坝高与设计不符', '省局：请核实坝高', '市局：转县局核实', '县局：请企业核实坝高'];
  for (const [i, code] of [...LEVELS].reverse().entries())
    await t.services.workflow.return((await reviewer(code)).user, id, reasons[i], ['current_dam_height']);
  return { e, ent, id, reasons };
}

describe('the enterprise message of a return', () => {
  it('quotes every level of the round, from 总局 down', async () => {
    const { e, reasons } = await returnedFromTop();
    const [message] = await t.knex('messages').where({ enterprise_id: e.id }).orderBy('id', 'desc');
    const positions = reasons.map((r) => message.body.indexOf(r));
    expect(positions.every((p: number) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(message.body).toContain('国家安全生产监督管理总局');
  });
});

describe('return rounds and 变更', () => {
  it('flags the fields of the open round on the resubmission, not on a later 变更', async () => {
    const { ent, id } = await returnedFromTop();
    await t.services.workflow.submit(ent, id);
    const county = await reviewer(CHAIN.county);
    const resubmitted = await county.visitor.get(`/review/${id}`);
    expect(resubmitted.text).toContain('<span class="tag tag-red">退回指出</span>');
    expect(resubmitted.text).not.toContain('本次为变更');

    // Stored: the round ends. A 变更 of the stored system is reviewed without the old flags.
    await bringTo(t, id, 'stored');
    await t.services.workflow.reopen(ent, id);
    await t.services.workflow.submit(ent, id);
    const change = await county.visitor.get(`/review/${id}`);
    expect(change.status).toBe(200);
    expect(change.text).not.toContain('<span class="tag tag-red">退回指出</span>');
    expect(change.text).toContain('<span class="tag tag-amber">变更</span>');
    expect(change.text).toContain('本次为变更：已入库的第 2 版在本次变更入库前仍为有效版本');
    expect(change.text).toContain('企业提交（变更）');

    // Lists: 待审核 and 信息追踪 say 变更 beside the row.
    const list = await county.visitor.get('/review');
    const row = list.text.slice(list.text.indexOf(`/review/${id}/history`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('<span class="tag tag-amber">变更</span>');
    const tracking = await (await reviewer(CHAIN.city)).visitor.get(`/tracking/${id}`);
    expect(tracking.text).toContain('<span class="tag tag-amber">变更</span>');
    expect(tracking.text).toContain('第 3 版（变更，替换已入库的第 2 版）');

    // 总局, at 入库: approving replaces the stored record, said beside the button and in the confirm.
    await bringTo(t, id, 'pending@national');
    const national = await (await reviewer(CHAIN.national)).visitor.get(`/review/${id}`);
    expect(national.text).toContain('第 3 版将替换国家数据库中已入库的第 2 版');
    expect(national.text).toMatch(/data-confirm="本次为变更：[^"]*确定审核通过吗？"/);
    await t.services.workflow.approve((await reviewer(CHAIN.national)).user, id, '同意');
    const history = await county.visitor.get(`/review/${id}`);
    expect(history.text).toContain('审核通过（变更入库）');
  });

  it('does not call a first filing a 变更', async () => {
    const { id } = await fileThrough(t, 'submitted');
    const page = await (await reviewer(CHAIN.county)).visitor.get(`/review/${id}`);
    expect(page.text).not.toContain('<span class="tag tag-amber">变更</span>');
    await bringTo(t, id, 'stored');
  });
});
