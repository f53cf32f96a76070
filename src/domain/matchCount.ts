// How many rows a list says it found. A free-text search at national level can match tens of
// thousands of rows (「有限公司」 matches nearly every enterprise), and counting all of them
// costs far more than showing the first page. Such counts stop at a bound, and the page says
// so: 「超过 1,000 条」 rather than a number it did not count.

/** A text search counts at most this many matches. */
export const TEXT_MATCH_BOUND = 1000;

export interface MatchCount {
  /** The rows counted: the exact count, or the bound when there are more. */
  count: number;
  /** There are more rows than `count` (the count stopped at the bound). */
  exceeds: boolean;
}

/** Whether a list's count is bounded: when it searches free text (counted up to the bound). */
export function countBound(q: string | undefined): number | null {
  return q ? TEXT_MATCH_BOUND : null;
}

/** A count read as up to `bound + 1` rows (null: read exactly) → what the page may claim. */
export function matchCount(counted: number, bound: number | null): MatchCount {
  if (bound !== null && counted > bound) return { count: bound, exceeds: true };
  return { count: counted, exceeds: false };
}

const NUMBER = new Intl.NumberFormat('zh-CN');

/** 「1,000」 or 「超过 1,000」: the figure before 条. */
export function matchCountLabel(c: MatchCount): string {
  return c.exceeds ? `超过 ${NUMBER.format(c.count)}` : NUMBER.format(c.count);
}
