import type { Knex } from 'knex';
import { testPools } from '../support/db';
import type { Pools } from '../../src/db/pools';
import { licenceExpiry, licenceWindow, LICENCE_EXPIRIES } from '../../src/domain/licence';
import { licenceExpirySql, whereLicenceExpiry, type LicenceColumn } from '../../src/data/licence';
import { censusBucketSql } from '../../src/data/census';
import { censusBucket } from '../../src/domain/stats';
import { ARRIVALS, type Arrival, type WorkflowState } from '../../src/domain/workflow';

// The licence rule exists once, in domain/licence.ts; the SQL of data/licence.ts must class
// every date the way it does, for a date column (stored_systems) and ISO text (stats_*).
let pools: Pools;
let knex: Knex;
beforeAll(() => {
  pools = testPools();
  knex = pools.knex;
});
afterAll(async () => pools.close());

const window = licenceWindow(new Date('2026-11-29T20:00:00Z')); // 2026-11-30 in China
const DATES = [
  '2026-11-28',
  '2026-11-29',
  '2026-11-30',
  '2026-12-01',
  '2027-02-27',
  '2027-02-28',
  '2027-03-01',
];
const TEXTS = [...DATES, '无', '2026/11/01', ''];

function valuesOf(column: LicenceColumn, values: readonly string[]): Knex.QueryBuilder {
  const rows = values.map(() => '(?)').join(', ');
  const cast = column.type === 'date' ? '::date' : '';
  return knex.from(knex.raw(`(VALUES ${rows}) AS t (x)`, values)).select(knex.raw(`x${cast} AS x`));
}

describe.each([
  [{ sql: 'x', type: 'date' } as LicenceColumn, DATES],
  [{ sql: 'x', type: 'text' } as LicenceColumn, TEXTS],
])('licence expiry in SQL (%o)', (column, values) => {
  const table = () => knex.from(valuesOf(column, values).as('v'));

  it('classes every date as licenceExpiry does', async () => {
    const [sql, bindings] = licenceExpirySql(column, window);
    const rows: { x: string; expiry: string | null }[] = await table().select(
      knex.raw(`x::text AS x`),
      knex.raw(`${sql} AS expiry`, bindings),
    );
    expect(rows.map((r) => [r.x, r.expiry])).toEqual(values.map((v) => [v, licenceExpiry(v, window)]));
  });

  it.each(LICENCE_EXPIRIES)('filters %s as licenceExpiry classes', async (expiry) => {
    const rows: { x: string }[] = await whereLicenceExpiry(table(), column, expiry, window).select(
      knex.raw('x::text AS x'),
    );
    expect(rows.map((r) => r.x)).toEqual(values.filter((v) => licenceExpiry(v, window) === expiry));
  });
});

// The census buckets exist once, in domain/stats.ts `censusBucket`; the lists a figure opens
// filter with data/census.ts, which must put every workflow position in the same bucket.
describe('census bucket in SQL', () => {
  it('puts every state, arrival and stored version where censusBucket does', async () => {
    const cases: { state: WorkflowState; arrival: Arrival | null; hasStored: boolean }[] = [];
    for (const state of ['draft', 'pending', 'returned', 'stored'] as const)
      for (const arrival of state === 'pending' ? ARRIVALS : [null])
        for (const hasStored of state === 'stored' ? [true] : [false, true])
          cases.push({ state, arrival, hasStored });
    const rows: { bucket: string }[] = (
      await knex.raw(
        `SELECT ${censusBucketSql('ps')} AS bucket
           FROM (VALUES ${cases.map(() => '(?::int, ?::int, ?::text, ?::text)').join(', ')})
             AS ps (n, stored_version, state, arrival) ORDER BY n`,
        cases.flatMap((c, i) => [i, c.hasStored ? 1 : null, c.state, c.arrival]),
      )
    ).rows;
    expect(cases.map((c, i) => ({ ...c, bucket: rows[i].bucket }))).toEqual(
      cases.map((c) => ({ ...c, bucket: censusBucket(c) })),
    );
    expect(new Set(rows.map((r) => r.bucket))).toEqual(new Set(['stored', 'review', 'returned', 'notFiled']));
  });
});
