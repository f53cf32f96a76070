/**
 * domain/stats.ts `censusBucket` as SQL over a production_systems row, for the lists a
 * statistics figure opens (待审核, 信息追踪): they select the same systems the figure counts.
 * Pinned to the domain rule, state by state, by test/integration/statsRules.test.ts.
 */
export const censusBucketSql = (ps: string): string =>
  `CASE WHEN ${ps}.stored_version IS NOT NULL OR ${ps}.state = 'stored' THEN 'stored'
        WHEN ${ps}.state = 'draft' THEN 'notFiled'
        WHEN ${ps}.state = 'returned' OR ${ps}.arrival = 'upper_returned' THEN 'returned'
        ELSE 'review' END`;
