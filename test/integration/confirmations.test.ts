import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor } from '../support/browser';
import { CHAIN } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { signedIn as persona } from '../support/personas';
import { systemsRepo } from '../../src/data/systems';

// 总局's 入库 and a bulk approval are confirmed first: by the browser's confirm (which posts
// confirmed=1), or without JavaScript by a page of the server's that asks (issue 12, item 4).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const visitors = new Map<string, Visitor>();
async function signedIn(code: string): Promise<{ visitor: Visitor }> {
  let visitor = visitors.get(code);
  if (!visitor) {
    visitor = await persona(t, code);
    visitors.set(code, visitor);
  }
  return { visitor };
}

const pendingAt = async (level: 'county' | 'national'): Promise<number> =>
  (await fileThrough(t, `pending@${level}`)).id;

const stateOf = async (id: number) => (await systemsRepo(t.knex).byId(id))!.state;
const seqOf = (html: string) => html.match(/name="seq" value="(\d+)"/)![1];

describe('总局 审核通过 (入库) without JavaScript', () => {
  it('asks on a page of its own, stores only once confirmed, and keeps the comment', async () => {
    const id = await pendingAt('national');
    const { visitor } = await signedIn(CHAIN.national);
    const detail = await visitor.get(`/review/${id}`);
    expect(detail.text).toContain('name="confirmed" value=""');
    const asked = await visitor.postWithToken(
      `/review/${id}/approve`,
      { seq: seqOf(detail.text), comment: '同意入库', confirmed: '' },
      csrfFrom(detail.text),
    );
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('请确认入库');
    expect(asked.text).toContain('name="comment" value="同意入库"');
    expect(await stateOf(id)).toBe('pending');
    const confirmForm = asked.text.slice(asked.text.indexOf('id="confirm-approve"'));
    const stored = await visitor.postWithToken(
      `/review/${id}/approve`,
      { seq: seqOf(confirmForm), comment: '同意入库', confirmed: '1' },
      csrfFrom(asked.text),
    );
    expect(stored.status).toBe(302);
    expect(await stateOf(id)).toBe('stored');
    const [last] = await t.knex('history').where({ system_id: id }).orderBy('seq', 'desc');
    expect(last.note).toBe('同意入库');
  });

  it('does not ask below 总局 (nothing is stored there)', async () => {
    const id = await pendingAt('county');
    const { visitor } = await signedIn(CHAIN.county);
    const detail = await visitor.get(`/review/${id}`);
    expect(detail.text).not.toContain('name="confirmed"');
    const res = await visitor.postWithToken(
      `/review/${id}/approve`,
      { seq: seqOf(detail.text) },
      csrfFrom(detail.text),
    );
    expect(res.status).toBe(302);
    expect(await stateOf(id)).toBe('pending');
  });
});

describe('批量审核通过 without JavaScript', () => {
  it('lists what is ticked with the count, approves nothing until confirmed', async () => {
    const ids = [await pendingAt('county'), await pendingAt('county')];
    const { visitor } = await signedIn(CHAIN.county);
    const list = await visitor.get('/review');
    const asked = await visitor.postWithToken(
      '/review/bulk-approve',
      { ids: ids.map(String), back: '/review?sort=recent', confirmed: '' },
      csrfFrom(list.text),
    );
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('确定将已选的 2 项审核通过并逐项报送上级吗？');
    expect(asked.text).toContain('href="/review?sort=recent"');
    for (const id of ids) expect(asked.text).toContain(`name="ids" value="${id}"`);
    for (const id of ids) expect((await systemsRepo(t.knex).byId(id))!.arrival).toBe('enterprise_submitted');
    const done = await visitor.postWithToken(
      '/review/bulk-approve',
      { ids: ids.map(String), back: '/review?sort=recent', confirmed: '1' },
      csrfFrom(asked.text),
    );
    expect(done.headers.location).toBe('/review?sort=recent');
    for (const id of ids) expect((await systemsRepo(t.knex).byId(id))!.arrival).toBe('lower_submitted');
  });
});
