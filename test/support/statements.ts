import type { Knex } from 'knex';

/**
 * The SQL statements the knex instance sends while `work` runs, in order (transaction BEGIN and
 * COMMIT included). Counting statements is a measure that does not depend on the machine's load,
 * unlike a stopwatch.
 */
export async function statementsDuring(knex: Knex, work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listen = (q: { sql: string }) => seen.push(q.sql);
  knex.on('query', listen);
  try {
    await work();
  } finally {
    knex.off('query', listen);
  }
  return seen;
}
