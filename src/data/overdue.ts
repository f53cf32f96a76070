import type { Knex } from 'knex';
import { chinaDayStart, LIMIT_LEVELS } from '../domain/campaign';
import type { AgencyLevel } from '../domain/orgTree';

/**
 * domain/campaign.ts's overdue rule as SQL: a pending item at an agency (alias `cur`) is overdue
 * exactly when it arrived (`ps.state_changed_at`) before its level's cut-off day (China time).
 * `cutoffs` come from `overdueCutoffs`, so every count and list of overdue items — 待审核's 超期
 * filter, 统计分析's figures, the 催办 page, the reminder notices — is the same predicate.
 */
export function overdueSql(
  db: Knex | Knex.Transaction,
  cutoffs: Readonly<Record<AgencyLevel, string>>,
  ps = 'ps',
  cur = 'cur',
): Knex.Raw {
  return db.raw(
    `${ps}.state = 'pending' AND ${ps}.state_changed_at < CASE ${cur}.level ${LIMIT_LEVELS.map(
      () => 'WHEN ? THEN ?::timestamptz',
    ).join(' ')} END`,
    LIMIT_LEVELS.flatMap((l) => [l, chinaDayStart(cutoffs[l]).toISOString()]),
  );
}

/** The arrival moment before which an item at one agency of a known level is overdue. */
export function overdueBefore(cutoffs: Readonly<Record<AgencyLevel, string>>, level: AgencyLevel): Date {
  return chinaDayStart(cutoffs[level]);
}
