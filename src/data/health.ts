import type { Knex } from 'knex';

/** The smallest round trip to the database: resolves when it answers, rejects when it cannot. */
export async function pingDatabase(knex: Knex): Promise<void> {
  await knex.raw('select 1');
}
