import { EMBEDDED_MAX_CONNECTIONS } from '../../src/db/embedded';
import { poolSizes } from '../../src/db/pools';
import { testPools } from '../support/db';

// PGlite serialises every connection through one session: with more than one pooled connection,
// parameterised queries queued behind another connection's open transaction return wrong rows.
// These are the properties that keep the embedded mode correct.
describe('embedded database mode', () => {
  it('uses exactly one connection per pool, two in all', () => {
    expect(poolSizes(true)).toEqual({ knex: 1, session: 1 });
    expect(poolSizes(true).knex + poolSizes(true).session).toBe(EMBEDDED_MAX_CONNECTIONS);
    expect(poolSizes(false).knex).toBeGreaterThan(1);
  });

  it('answers parameterised queries correctly while a transaction is open on the pool', async () => {
    const pools = testPools();
    try {
      const { knex } = pools;
      const embedded = process.env.DATABASE_EMBEDDED === 'true';
      if (embedded) expect((knex.client as { pool: { max: number } }).pool.max).toBe(1);
      // Open a transaction that holds a row lock and writes, then fire parameterised reads that
      // must queue behind it; each read must see its own parameter's row.
      const codes = ['110000', '330000', '420000', '650000', '000000'];
      const trx = await knex.transaction();
      await trx.raw('select id from agencies where code = ? for update', ['330000']);
      const reads = codes.map((code) => knex('agencies').where({ code }).first('code', 'name'));
      await trx.raw('select pg_sleep(0.05)');
      await trx.commit();
      const rows = await Promise.all(reads);
      expect(rows.map((r) => r?.code)).toEqual(codes);
      expect(rows[1]?.name).toBe('浙江省安全生产监督管理局');
    } finally {
      await pools.close();
    }
  });
});
