import { startTestApp, type TestApp } from '../support/app';
import { createEnterprise } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { resetData } from '../support/db';
import { consistencyRepo } from '../../src/data/consistency';

// `npm run verify`: a system's derived columns agree with its history, each version has its
// submit row, each stored version its query row — and a hand edit of any of them is found.

let t: TestApp;
let stored: number;
let pending: number;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

beforeEach(async () => {
  await resetData(t.pools);
  const e = await createEnterprise(t);
  stored = (await fileThrough(t, 'stored', { enterprise: e, category: 'tailings' })).id;
  pending = (await fileThrough(t, 'pending@city', { enterprise: e, category: 'underground' })).id;
  await fileThrough(t, 'draft', { enterprise: e }); // a draft without history
});

const findings = () => consistencyRepo(t.knex).inconsistencies();

describe('the consistency check behind npm run verify', () => {
  it('finds nothing wrong in data the workflow wrote', async () => {
    expect(await findings()).toEqual([]);
  });

  it('finds a workflow_seq, a state and an agency edited by hand', async () => {
    const knex = t.knex;
    await knex('production_systems').where({ id: stored }).increment('workflow_seq', 1);
    await knex('production_systems')
      .where({ id: pending })
      .update({ state: 'returned', current_agency_id: null, arrival: null });
    expect(await findings()).toEqual([
      { kind: 'position', systemId: stored, at: expect.any(Number) },
      { kind: 'position', systemId: pending, at: expect.any(Number) },
    ]);
  });

  it('finds a stored version without its query row, and a version without its submit row', async () => {
    const knex = t.knex;
    await knex('stored_systems').where({ system_id: stored }).delete();
    const { category, name, data, submitted_by } = await knex('system_versions')
      .where({ system_id: stored })
      .first();
    await knex('system_versions').insert({
      system_id: stored,
      version: 99,
      category,
      name,
      data,
      submitted_by,
    });
    expect(await findings()).toEqual([
      { kind: 'submit', systemId: stored, at: 99 },
      { kind: 'stored', systemId: stored, at: 1 },
    ]);
  });
});
