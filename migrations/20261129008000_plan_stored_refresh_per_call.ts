import type { Knex } from 'knex';

// refresh_stored_systems(ids) runs in the transaction of every storing (the national level's
// approval). As a LANGUAGE sql function its statements were planned once for any argument, so
// `only_ids IS NULL OR id = ANY (only_ids)` could use no index: refreshing one system scanned
// production_systems and stored_systems whole — 50–100 ms of every national approval at
// national scale. PL/pgSQL plans them for the argument at hand (the NULL test folds away and
// the primary keys are used): well under a millisecond. The statements are the same ones,
// taken from the function as it stands.
const body = async (knex: Knex): Promise<string> =>
  (await knex.raw(`SELECT prosrc FROM pg_proc WHERE proname = 'refresh_stored_systems'`)).rows[0].prosrc;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE OR REPLACE FUNCTION refresh_stored_systems(only_ids integer[]) RETURNS void
    LANGUAGE plpgsql AS $body$ BEGIN ${await body(knex)} END $body$`);
}

export async function down(knex: Knex): Promise<void> {
  const plpgsql = await body(knex);
  const statements = plpgsql.replace(/^\s*BEGIN\s/, '').replace(/\sEND\s*$/, '');
  await knex.raw(`CREATE OR REPLACE FUNCTION refresh_stored_systems(only_ids integer[]) RETURNS void
    LANGUAGE sql AS $body$ ${statements} $body$`);
}
