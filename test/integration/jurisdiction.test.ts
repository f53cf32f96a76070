import { startTestApp, type TestApp } from '../support/app';
import { fileThrough, type FilingTarget } from '../support/filings';
import { reviewer } from '../support/personas';
import { actingUser, agency, CHAIN, createEnterprise } from '../support/fixtures';
import { systemsRepo } from '../../src/data/systems';
import { reviewQueries } from '../../src/data/reviewQueries';
import { agencyMayOpen } from '../../src/services/agencyAccess';

// domain/jurisdiction.ts is the rule; data/jurisdiction.ts its SQL twin for lists. Over systems
// in every standing (a draft, pending at each level, returned, stored, moved to another chain
// and refiled), both answer the same for every agency.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

it('lists (data/jurisdiction.ts) and detail pages (domain/jurisdiction.ts) agree on who sees what', async () => {
  const ent = await createEnterprise(t, { supervisingCode: CHAIN.county });
  const enterprise = await actingUser(t, ent.userId);
  const ids: number[] = [];
  const system = async (name: string, to: FilingTarget) => {
    const { id } = await fileThrough(t, to, { enterprise: ent, category: 'tailings', overrides: { name } });
    ids.push(id);
    return id;
  };

  await system('草稿尾矿库', 'draft');
  await system('待区县审核尾矿库', 'submitted');
  await system('待市级审核尾矿库', 'pending@city');
  const returned = await system('退回尾矿库', 'pending@province');
  for (const level of ['province', 'city', 'county'] as const)
    await t.services.workflow.return((await reviewer(t, level)).user, returned, '数据有误');
  await system('入库尾矿库', 'stored');
  const moved = await system('迁出尾矿库', 'stored');
  // The enterprise moves to 滨江区 and files a 变更: version 2 goes up 滨江区's chain.
  const binjiang = await agency(t, '330108');
  await t.knex('enterprises').where({ id: ent.id }).update({ supervising_agency_id: binjiang.id });
  await t.services.workflow.reopen(enterprise, moved);
  await t.services.workflow.submit(enterprise, moved);

  const codes = [...Object.values(CHAIN), '330108', '330105', '330200'];
  let seen = 0;
  for (const code of codes) {
    const a = await agency(t, code);
    const listed = await reviewQueries(t.knex).visibleNames(a.id, ids);
    for (const id of ids) {
      const row = (await systemsRepo(t.knex).byId(id))!;
      const rule = await agencyMayOpen(t.knex, a.id, row);
      expect({ code, id, listed: listed.has(id) }).toEqual({ code, id, listed: rule });
      if (rule) seen += 1;
    }
  }
  // The fixture is not vacuous: some pairs see, and the moved system is hidden from 西湖区.
  expect(seen).toBeGreaterThan(10);
  const xihu = await agency(t, CHAIN.county);
  expect((await reviewQueries(t.knex).visibleNames(xihu.id, [moved])).has(moved)).toBe(false);
});
