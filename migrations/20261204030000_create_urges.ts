import type { Knex } from 'knex';

// 催办 (issue 15 part 3): an agency urges a lower agency of its subtree about that agency's
// overdue items, or an enterprise about a system it has not submitted or was returned.
// - urges: who (user and agency), whom (an agency or an enterprise, exactly one), when, the note;
//   `form_token` is the form's one-time token, unique, so a double-click records one urge.
// - urge_items: which systems the urge is about.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('urges', (t) => {
    t.bigIncrements('id').primary();
    t.integer('from_agency_id').notNullable().references('agencies.id');
    t.integer('from_user_id').notNullable().references('users.id');
    t.integer('to_agency_id').nullable().references('agencies.id');
    t.integer('to_enterprise_id').nullable().references('enterprises.id');
    t.text('note').notNullable();
    t.text('form_token').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['to_agency_id', 'created_at']);
  });
  await knex.raw(
    'ALTER TABLE urges ADD CONSTRAINT urges_one_target CHECK ((to_agency_id IS NULL) <> (to_enterprise_id IS NULL))',
  );
  await knex.raw(
    'ALTER TABLE urges ADD CONSTRAINT urges_note_length CHECK (char_length(note) BETWEEN 1 AND 500)',
  );
  await knex.raw('CREATE UNIQUE INDEX urges_form_token ON urges (from_user_id, form_token)');
  await knex.schema.createTable('urge_items', (t) => {
    t.bigInteger('urge_id').notNullable().references('urges.id');
    t.integer('system_id').notNullable().references('production_systems.id');
    t.primary(['urge_id', 'system_id']);
    t.index(['system_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('urge_items');
  await knex.schema.dropTable('urges');
}
