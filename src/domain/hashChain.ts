import crypto from 'node:crypto';

// Tamper evidence shared by 操作历史 and 安全审计: a row's hash is sha256 over a canonical JSON
// text of its content plus the previous row's hash, so an edit anywhere breaks every later link.

/** JSON with object keys sorted at every depth: the same content always gives the same text
 * (jsonb, for one, does not keep the key order it was given). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** sha256 (hex) of the canonical text of the values, in the order given. */
export function chainHash(values: readonly unknown[]): string {
  return crypto.createHash('sha256').update(canonicalJson(values), 'utf8').digest('hex');
}

export type ChainProblem = 'hash' | 'link' | 'sequence';

export interface ChainLink {
  seq: number;
  prev_hash: string | null;
  hash: string;
}

/** Where a chain continues from: nothing before it, or the head of what was archived. */
export interface ChainStart {
  seq: number;
  hash: string | null;
}

/**
 * The first row (in seq order) that breaks the chain: a missing row (seq not the next), a link
 * to something other than the previous row's hash, or content that does not give its hash.
 */
export function firstChainBreak<R extends ChainLink>(
  rows: readonly R[],
  hashOf: (row: R) => string,
  start: ChainStart = { seq: 0, hash: null },
): { row: R; problem: ChainProblem } | null {
  let prev = start;
  for (const row of rows) {
    if (row.seq !== prev.seq + 1) return { row, problem: 'sequence' };
    if (row.prev_hash !== prev.hash) return { row, problem: 'link' };
    if (hashOf(row) !== row.hash) return { row, problem: 'hash' };
    prev = row;
  }
  return null;
}
