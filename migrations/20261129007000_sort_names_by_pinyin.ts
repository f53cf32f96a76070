import type { Knex } from 'knex';

// Names sort the way a Chinese reader expects — by pinyin (阿里, 北京, 重庆, 张三) — rather than by
// code point. The name columns that lists sort on get an ICU collation with the pinyin ordering,
// so every ORDER BY, keyset comparison (the .xlsx export) and index on them follows it without
// any COLLATE clause in the queries. The collation is deterministic: equality (the per-enterprise
// unique system name) stays byte for byte.
//
// PostgreSQL built with ICU has the Chinese data; PGlite's ICU lacks it and falls back to the
// root order (code points for Han characters), which is what it had before. After an ICU
// upgrade on the server, reindex these columns' indexes (PostgreSQL warns of the version change).
const COLUMNS: readonly [table: string, column: string][] = [
  ['stored_systems', 'name'],
  ['production_systems', 'name'],
  ['enterprises', 'name'],
];

export async function up(knex: Knex): Promise<void> {
  // A server built without ICU gets the same name with the byte order, so the schema and the
  // queries are the same everywhere.
  const icu = await knex.raw(`SELECT 1 FROM pg_collation WHERE collprovider = 'i' LIMIT 1`);
  await knex.raw(
    icu.rows.length
      ? `CREATE COLLATION IF NOT EXISTS zh_pinyin (provider = icu, locale = 'zh-u-co-pinyin')`
      : `CREATE COLLATION IF NOT EXISTS zh_pinyin FROM "C"`,
  );
  for (const [table, column] of COLUMNS)
    await knex.raw(`ALTER TABLE ?? ALTER COLUMN ?? TYPE text COLLATE zh_pinyin`, [table, column]);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS)
    await knex.raw(`ALTER TABLE ?? ALTER COLUMN ?? TYPE text COLLATE "default"`, [table, column]);
  await knex.raw('DROP COLLATION zh_pinyin');
}
