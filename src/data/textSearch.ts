import type { Knex } from 'knex';

// Free-text search of the list pages. What a user types is matched literally: `%`, `_` and `\`
// are escaped (backslash is PostgreSQL's default LIKE escape).
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern matching `text` anywhere. */
export const containsPattern = (text: string): string => `%${escapeLike(text)}%`;

/** A LIKE pattern matching values that start with `text` (agency paths). */
export const prefixPattern = (text: string): string => `${escapeLike(text)}%`;

/**
 * `expr` (a lower-cased text expression with a bigram index, migration
 * `20261204010000_bigram_text_search`) contains `text` (lower-cased): the index narrows by the
 * query's character bigrams, the LIKE rechecks their order. A single character has no bigram:
 * then the LIKE alone, as a scan.
 */
function containsSql(expr: string, text: string): { sql: string; bindings: string[] } {
  const like = { sql: `${expr} LIKE ?`, bindings: [containsPattern(text)] };
  if ([...text].length < 2) return like;
  return {
    sql: `census_bigrams(${expr}) @> census_bigrams(?) AND ${like.sql}`,
    bindings: [text, ...like.bindings],
  };
}

/** A list's table and the columns its text search reads. */
export interface SearchedTable {
  /** The table and its alias in the list's query. */
  table: string;
  alias: string;
  /** Its key; `text` is a lower-cased text expression over its columns, with a bigram index. */
  id: string;
  text: string;
  enterpriseId: string;
}

/**
 * Rows whose own text, or whose enterprise's name or credit code, contains the text
 * (lower-cased). Each side is one bigram-index lookup run once as an init plan, and the row
 * test is then `id = ANY (…) OR enterprise_id = ANY (…)` — two index conditions the planner
 * ORs as bitmaps, with no per-row recheck: a rare word (尾矿) costs about a millisecond at
 * national scale. A LIKE beside either `= ANY` would turn the OR into a per-row filter that
 * scans the enterprise array linearly for every row: seconds when every enterprise matches
 * (有限公司; bench/README.md).
 */
export function whereTextOrEnterprise(
  q: Knex.QueryBuilder,
  t: SearchedTable,
  text: string,
): Knex.QueryBuilder {
  const lower = text.toLowerCase();
  const own = containsSql(t.text, lower);
  const theirs = containsSql(`lower(e.name || ' ' || e.credit_code)`, lower);
  return q.where((w) =>
    w
      .whereRaw(
        `${t.alias}.${t.id} = ANY (ARRAY(SELECT ${t.id} FROM ${t.table} WHERE ${own.sql}))`,
        own.bindings,
      )
      .orWhereRaw(
        `${t.alias}.${t.enterpriseId} = ANY (ARRAY(SELECT e.id FROM enterprises e WHERE ${theirs.sql}))`,
        theirs.bindings,
      ),
  );
}
