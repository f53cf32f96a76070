import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor } from '../support/browser';
import { actingUser, createEnterprise, createSystem, PASSWORD } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { systemsRepo } from '../../src/data/systems';

// 删除草稿 (a draft never submitted) and 放弃变更 (an unsubmitted change, back to the stored
// version): asked first, posted with CSRF, 放弃变更 recorded in the system's history (issue 12).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function enterprise() {
  const e = await createEnterprise(t);
  const visitor = new Visitor(t.app);
  expect((await visitor.login(e.username, PASSWORD)).status).toBe(302);
  return { e, visitor, user: await actingUser(t, e.userId) };
}

const seqOf = (html: string) =>
  html.match(/class="inline-form drop-form">[\s\S]*?name="seq" value="(\d+)"/)![1];

it('deletes a draft never submitted, asking first, and refuses once it was submitted', async () => {
  const { e, visitor } = await enterprise();
  const id = await createSystem(t, e.id, 'open_pit', { name: '待删除的草稿矿' });
  const page = await visitor.get(`/enterprise/systems/${id}`);
  expect(page.text).toContain('data-confirm="删除后草稿内容不能恢复。确定删除该草稿吗？">删除草稿</button>');
  expect((await visitor.postWithToken(`/enterprise/systems/${id}/delete`, {}, undefined)).status).toBe(403);
  const res = await visitor.postWithToken(
    `/enterprise/systems/${id}/delete`,
    { seq: seqOf(page.text) },
    csrfFrom(page.text),
  );
  expect(res.status).toBe(302);
  expect(await systemsRepo(t.knex).byId(id)).toBeUndefined();
  expect((await visitor.get(res.headers.location)).text).toContain('草稿“待删除的草稿矿”已删除。');

  const { id: submitted } = await fileThrough(t, 'submitted', { enterprise: e });
  const refused = await visitor.postWithToken(
    `/enterprise/systems/${submitted}/delete`,
    {},
    csrfFrom(page.text),
  );
  expect(refused.status).toBe(409);
  expect(await systemsRepo(t.knex).byId(submitted)).toBeDefined();
  // Somebody else's draft does not exist.
  const other = await enterprise();
  const theirs = await createSystem(t, other.e.id, 'open_pit');
  expect(
    (await visitor.postWithToken(`/enterprise/systems/${theirs}/delete`, {}, csrfFrom(page.text))).status,
  ).toBe(404);
});

it('discards an unsubmitted 变更: back to the stored version, in the history', async () => {
  const { e, visitor, user } = await enterprise();
  const { id } = await fileThrough(t, 'stored', { enterprise: e, overrides: { name: '变更后放弃矿' } });
  await t.services.workflow.reopen(user, id);
  const before = await systemsRepo(t.knex).byId(id);
  await t.services.filing.saveDraft(user as never, id, {
    ...(before!.draft_data as Record<string, string>),
    name: '改了名字的矿',
    employees: '999',
  });
  const page = await visitor.get(`/enterprise/systems/${id}`);
  expect(page.text).toContain('>放弃变更</button>');
  expect(page.text).toContain('恢复为已入库的第 1 版');
  const res = await visitor.postWithToken(
    `/enterprise/systems/${id}/discard-change`,
    { seq: seqOf(page.text) },
    csrfFrom(page.text),
  );
  expect(res.status).toBe(302);
  const after = await systemsRepo(t.knex).byId(id);
  expect(after).toMatchObject({
    state: 'stored',
    stored_version: 1,
    latest_version: 1,
    name: '变更后放弃矿',
  });
  expect((after!.draft_data as Record<string, unknown>).employees).not.toBe(999);
  const [last] = await t.knex('history').where({ system_id: id }).orderBy('seq', 'desc');
  expect(last).toMatchObject({ action: 'discard', from_state: 'draft', to_state: 'stored', version: 1 });
  const shown = await visitor.get(`/enterprise/systems/${id}`);
  expect(shown.text).toContain('已放弃变更，本系统恢复为已入库版本。');
  expect(shown.text).toContain('放弃变更</span>');
  // Nothing to discard any more.
  const again = await visitor.postWithToken(
    `/enterprise/systems/${id}/discard-change`,
    {},
    csrfFrom(shown.text),
  );
  expect(again.status).toBe(409);
});
