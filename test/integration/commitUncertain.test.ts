import { testPools } from '../support/db';
import { isCommitUncertain } from '../../src/db/unavailable';
import type { Pools } from '../../src/db/pools';

// A COMMIT that fails may have committed on the server before the connection broke; the pools
// mark such errors so that the 503 page tells the user to look before submitting again.

let pools: Pools;
beforeAll(async () => {
  pools = testPools();
  await pools.knex.raw(`CREATE TABLE IF NOT EXISTS commit_probe (id int PRIMARY KEY,
    ref int REFERENCES commit_probe (id) DEFERRABLE INITIALLY DEFERRED)`);
});
afterAll(async () => {
  await pools.knex.raw('DROP TABLE IF EXISTS commit_probe');
  await pools.close();
});

describe('errors of a COMMIT', () => {
  it('are marked as uncertain; an error before the COMMIT is not', async () => {
    // A deferred constraint fails at COMMIT, as a broken connection would.
    const atCommit = await pools.knex
      .transaction(async (trx) => {
        await trx('commit_probe').insert({ id: 1, ref: 99 });
      })
      .catch((err: unknown) => err);
    expect(isCommitUncertain(atCommit)).toBe(true);

    const before = await pools.knex
      .transaction(async (trx) => {
        await trx.raw('SELECT 1/0');
      })
      .catch((err: unknown) => err);
    expect(before).toBeInstanceOf(Error);
    expect(isCommitUncertain(before)).toBe(false);
  });
});
