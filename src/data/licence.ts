import type { Knex } from 'knex';
import type { LicenceExpiry, LicenceWindow } from '../domain/licence';

/**
 * domain/licence.ts `licenceExpiry` in SQL. The window comes from the domain, so the database's
 * clock and time zone play no part. A column is either a date (stored_systems, whose index the
 * comparison keeps usable) or ISO text as filed (the stats_* column; compared in the C collation,
 * well-formed values only). Pinned to the domain rule by test/integration/statsRules.test.ts.
 */
export interface LicenceColumn {
  sql: string;
  type: 'date' | 'text';
}

function bounds(column: LicenceColumn): { value: string; param: string; guard: string } {
  return column.type === 'date'
    ? { value: column.sql, param: '?::date', guard: 'TRUE' }
    : {
        value: `${column.sql} COLLATE "C"`,
        param: '?',
        guard: `${column.sql} ~ '^\\d{4}-\\d{2}-\\d{2}$'`,
      };
}

/** The expiry class of the column as 'expired' / 'expiring' / NULL, with its bindings. */
export function licenceExpirySql(column: LicenceColumn, window: LicenceWindow): [string, string[]] {
  const { value, param, guard } = bounds(column);
  return [
    `CASE WHEN NOT (${guard}) THEN NULL WHEN ${value} < ${param} THEN 'expired' WHEN ${value} <= ${param} THEN 'expiring' END`,
    [window.today, window.horizon],
  ];
}

/** Narrows `q` to the licences of one expiry class. */
export function whereLicenceExpiry(
  q: Knex.QueryBuilder,
  column: LicenceColumn,
  expiry: LicenceExpiry,
  window: LicenceWindow,
): Knex.QueryBuilder {
  const { value, param, guard } = bounds(column);
  return expiry === 'expired'
    ? q.whereRaw(`${guard} AND ${value} < ${param}`, [window.today])
    : q.whereRaw(`${guard} AND ${value} >= ${param} AND ${value} <= ${param}`, [
        window.today,
        window.horizon,
      ]);
}
