import { startTestApp, type TestApp } from '../support/app';
import { actingUser, CHAIN, createEnterprise, createRegulator, createSystem } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { reviewer as persona, type Level } from '../support/personas';
import { systemsRepo } from '../../src/data/systems';
import { verifyAllHistory } from '../../src/cli/verifyHistory';
import { Conflict, NotFound, ValidationFailed } from '../../src/domain/errors';
import type { RegulatorUser } from '../../src/services/session';

let t: TestApp;
const reviewers: Record<string, RegulatorUser> = {};
beforeAll(async () => {
  t = await startTestApp();
  for (const level of Object.keys(CHAIN) as Level[]) reviewers[level] = (await persona(t, level)).user;
});
afterAll(async () => t.close());

async function position(id: number) {
  const s = await systemsRepo(t.knex).byId(id);
  return {
    state: s!.state,
    agency: s!.current_agency_id,
    arrival: s!.arrival,
    version: s!.latest_version,
    stored: s!.stored_version,
  };
}

describe('the workflow service on a real database', () => {
  it('runs a county-supervised filing up the chain, back down to the enterprise and up to storage', async () => {
    const e = await createEnterprise(t);
    const ent = await actingUser(t, e.userId);
    const id = await createSystem(t, e.id, 'tailings');
    const { workflow } = t.services;

    await workflow.submit(ent, id);
    expect(await position(id)).toMatchObject({
      state: 'pending',
      agency: reviewers.county.agencyId,
      arrival: 'enterprise_submitted',
      version: 1,
    });
    await workflow.approve(reviewers.county, id, '');
    await workflow.approve(reviewers.city, id, '同意');
    await workflow.approve(reviewers.province, id, undefined);
    expect(await position(id)).toMatchObject({
      agency: reviewers.national.agencyId,
      arrival: 'lower_submitted',
    });

    await workflow.return(reviewers.national, id, '坝高数据有误', ['current_dam_height']);
    expect(await position(id)).toMatchObject({
      agency: reviewers.province.agencyId,
      arrival: 'upper_returned',
    });
    await expect(workflow.approve(reviewers.province, id, '')).rejects.toThrow(Conflict);
    await expect(workflow.return(reviewers.province, id, '  ')).rejects.toThrow(ValidationFailed);
    await workflow.return(reviewers.province, id, '同意总局意见');
    await workflow.return(reviewers.city, id, '退回县级');
    await workflow.return(reviewers.county, id, '请企业核实坝高');
    expect(await position(id)).toMatchObject({ state: 'returned', agency: null, arrival: null });

    await workflow.submit(ent, id);
    expect((await position(id)).version).toBe(2);
    for (const level of ['county', 'city', 'province', 'national'])
      await workflow.approve(reviewers[level], id, '');
    expect(await position(id)).toMatchObject({ state: 'stored', stored: 2 });
    const messages = await t.knex('messages').where({ system_id: id }).orderBy('id');
    expect(messages.map((m) => m.kind)).toEqual(['returned', 'stored']);
    expect(messages[0].body).toContain('请企业核实坝高');

    // 变更: back to draft, the stored version stays.
    await workflow.reopen(ent, id);
    expect(await position(id)).toMatchObject({ state: 'draft', stored: 2 });

    const history = await t.knex('history').where({ system_id: id }).orderBy('seq');
    expect(history.map((h) => h.action)).toEqual([
      'submit',
      'approve',
      'approve',
      'approve',
      'return',
      'return',
      'return',
      'return',
      'submit',
      'approve',
      'approve',
      'approve',
      'approve',
      'reopen',
    ]);
    expect(history[4].fields).toEqual(['current_dam_height']);
  });

  it('refuses a submit with missing fields and writes nothing', async () => {
    const e = await createEnterprise(t);
    const ent = await actingUser(t, e.userId);
    const id = await createSystem(t, e.id, 'underground', { mineral: '', max_depth: '' });
    await expect(t.services.workflow.submit(ent, id)).rejects.toMatchObject({
      errors: expect.objectContaining({ mineral: expect.any(String), max_depth: expect.any(String) }),
    });
    expect(await position(id)).toMatchObject({ state: 'draft', version: 0 });
    expect(await t.knex('history').where({ system_id: id })).toHaveLength(0);
    expect(await t.knex('system_versions').where({ system_id: id })).toHaveLength(0);
  });

  it('lets exactly one of two simultaneous approvals win', async () => {
    const { id } = await fileThrough(t, 'submitted');
    const second = await createRegulator(t, CHAIN.county, { username: 'county_second' });
    const other = await actingUser(t, second.id);
    const results = await Promise.allSettled([
      t.services.workflow.approve(reviewers.county, id, ''),
      t.services.workflow.approve(other, id, ''),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(Conflict);
    expect(await t.knex('history').where({ system_id: id, action: 'approve' })).toHaveLength(1);
  });

  it('hides systems from agencies off their path and from other enterprises (404)', async () => {
    const { id } = await fileThrough(t, 'submitted');
    const neighbour = await actingUser(t, (await createRegulator(t, '330105')).id);
    await expect(t.services.workflow.approve(neighbour, id, '')).rejects.toThrow(NotFound);
    const otherEnt = await createEnterprise(t);
    await expect(t.services.workflow.reopen(await actingUser(t, otherEnt.userId), id)).rejects.toThrow(
      NotFound,
    );
  });

  it('refuses to update or delete history rows, and the verifier names a row altered by hand', async () => {
    const { id } = await fileThrough(t, 'submitted');
    const row = await t.knex('history').where({ system_id: id }).orderBy('id').first();
    await expect(t.knex('history').where({ id: row.id }).update({ note: 'x' })).rejects.toThrow(
      /append-only/,
    );
    await expect(t.knex('history').where({ id: row.id }).delete()).rejects.toThrow(/append-only/);
    expect((await verifyAllHistory(t.knex)).breaks).toEqual([]);

    await t.knex.transaction(async (trx) => {
      await trx.raw('ALTER TABLE history DISABLE TRIGGER history_append_only');
      await trx('history').where({ id: row.id }).update({ note: '篡改的意见' });
      await trx.raw('ALTER TABLE history ENABLE TRIGGER history_append_only');
    });
    const { breaks } = await verifyAllHistory(t.knex);
    expect(breaks).toEqual([{ id: row.id, system_id: row.system_id, seq: row.seq, problem: 'hash' }]);
  });
});
