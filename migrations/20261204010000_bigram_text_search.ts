import type { Knex } from 'knex';

// Free text of two characters — most Chinese words: 尾矿, 铅锌, 公司 — gives pg_trgm no trigram,
// so `LIKE '%尾矿%'` scanned every enterprise and every stored system (≈250 ms at national scale,
// see bench/README.md), and the embedded PGlite has no pg_trgm at all. A GIN index over each
// text's character bigrams serves any query of two characters or more, on both: the query's
// bigrams must all be present (`@>`), and the LIKE beside it rechecks the order.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE FUNCTION census_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
      FROM generate_series(1, char_length(t) - 1) AS i
    $$`);
  await knex.raw(`CREATE INDEX stored_systems_bigrams
    ON stored_systems USING gin (census_bigrams(search_text))`);
  await knex.raw(`CREATE INDEX enterprises_bigrams
    ON enterprises USING gin (census_bigrams(lower(name || ' ' || credit_code)))`);
  await knex.raw(`CREATE INDEX production_systems_bigrams
    ON production_systems USING gin (census_bigrams(lower(name)))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX production_systems_bigrams');
  await knex.raw('DROP INDEX enterprises_bigrams');
  await knex.raw('DROP INDEX stored_systems_bigrams');
  await knex.raw('DROP FUNCTION census_bigrams(text)');
}
