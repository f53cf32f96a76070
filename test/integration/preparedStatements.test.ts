import { createPools, type Pools } from '../../src/db/pools';

// A server's pools prepare what they send again and again (src/db/pools.ts): the pages' few
// statements are parsed once per connection instead of on every request. On PGlite (the
// embedded default) nothing is named: its one backend is shared by the socket's clients.

const embedded = process.env.DATABASE_EMBEDDED === 'true';
let pools: Pools;
beforeAll(() => {
  pools = createPools(process.env.DATABASE_URL!, embedded);
});
afterAll(async () => pools.close());

/** The statements this connection holds prepared under the pools' names. */
async function preparedOn(trx: Pools['knex']): Promise<string[]> {
  const { rows } = await trx.raw(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'k\\_%'`);
  return rows.map((r: { statement: string }) => r.statement);
}

it('prepares a statement with values from its second use on, and still answers each use with its own values', async () => {
  const marker = `prepared_${Date.now()}`;
  await pools.knex.transaction(async (trx) => {
    const answers: unknown[] = [];
    for (const n of [1, 2, 3])
      answers.push(
        (await trx.select(trx.raw('?::int + 1 AS v', [n])).from(trx.raw(`(SELECT 1 AS ${marker}) s`)))[0].v,
      );
    expect(answers).toEqual([2, 3, 4]);
    const prepared = (await preparedOn(trx)).filter((s) => s.includes(marker));
    expect(prepared).toHaveLength(embedded ? 0 : 1);
  });
});

it('leaves a statement used once, and text without values (which may hold several statements), unprepared', async () => {
  const once = `once_${Date.now()}`;
  await pools.knex.transaction(async (trx) => {
    await trx.raw(`SELECT ?::int AS ${once}`, [1]);
    const results = await trx.raw(`SELECT 1 AS ${once}_a; SELECT 2 AS ${once}_b`);
    expect(results.map((r: { rows: unknown[] }) => r.rows)).toEqual([
      [{ [`${once}_a`]: 1 }],
      [{ [`${once}_b`]: 2 }],
    ]);
    await trx.raw(`SELECT 1 AS ${once}_a; SELECT 2 AS ${once}_b`);
    expect((await preparedOn(trx)).filter((s) => s.includes(once))).toEqual([]);
  });
});
