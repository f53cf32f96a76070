import type { Knex } from 'knex';

// Free-text search of the list pages. What a user types is matched literally: `%`, `_` and `\`
// are escaped (backslash is PostgreSQL's default LIKE escape).
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern matching `text` anywhere. */
export const containsPattern = (text: string): string => `%${escapeLike(text)}%`;

/** A LIKE pattern matching values that start with `text` (agency paths). */
export const prefixPattern = (text: string): string => `${escapeLike(text)}%`;

/**
 * Rows whose own text column, or whose enterprise's name or credit code, contains the pattern
 * (lower-cased). `= ANY (ARRAY(…))` rather than IN (…): an init plan, so that the planner can
 * OR two trigram index scans instead of filtering every row.
 */
export function whereTextOrEnterprise(
  q: Knex.QueryBuilder,
  ownText: string,
  enterpriseId: string,
  text: string,
): Knex.QueryBuilder {
  const pattern = containsPattern(text.toLowerCase());
  return q.where((w) =>
    w
      .whereRaw(`${ownText} LIKE ?`, [pattern])
      .orWhereRaw(
        `${enterpriseId} = ANY (ARRAY(SELECT e.id FROM enterprises e WHERE lower(e.name || ' ' || e.credit_code) LIKE ?))`,
        [pattern],
      ),
  );
}
