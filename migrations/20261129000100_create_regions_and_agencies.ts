import type { Knex } from 'knex';

// The organisation tree. Regions are GB/T 2260 divisions; agencies are the nodes of the
// review tree (one per region node, plus the national root, 兵团 and the offshore branch).
// `path` is the chain of agency codes from the root, e.g. '/000000/330000/330100/330106/':
// a subtree is `path LIKE '/000000/330000/%'`, served by a text_pattern_ops index.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('regions', (t) => {
    t.string('code', 6).primary();
    t.text('name').notNullable();
    t.text('full_name').notNullable(); // 浙江省杭州市西湖区
    t.text('level').notNullable(); // province | city | county
    t.string('parent_code', 6).nullable().references('regions.code');
    t.boolean('is_leaf').notNullable().defaultTo(false); // selectable as an enterprise's county-level region
    t.index(['parent_code']);
  });
  await knex.raw(
    `ALTER TABLE regions ADD CONSTRAINT regions_level_check CHECK (level IN ('province','city','county'))`,
  );

  await knex.schema.createTable('agencies', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.text('level').notNullable();
    t.integer('parent_id').nullable().references('agencies.id');
    t.string('region_code', 6).nullable().references('regions.code');
    t.text('path').notNullable();
    t.integer('depth').notNullable();
    t.integer('sort').notNullable().defaultTo(0);
    t.index(['parent_id']);
    t.index(['region_code']);
  });
  await knex.raw(
    `ALTER TABLE agencies ADD CONSTRAINT agencies_level_check CHECK (level IN ('national','province','city','county','offshore'))`,
  );
  await knex.raw(`CREATE INDEX agencies_path_prefix ON agencies (path text_pattern_ops)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('agencies');
  await knex.schema.dropTable('regions');
}
