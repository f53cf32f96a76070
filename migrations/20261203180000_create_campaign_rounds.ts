import type { Knex } from 'knex';

// 普查任务 (issue 15): the census rounds with their timetable — filing deadline and each
// level's review limit in working days — and every change to a round, with who and when.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaign_rounds', (t) => {
    t.increments('id').primary();
    t.text('name').notNullable();
    t.date('starts_on').notNullable();
    t.date('filing_deadline').notNullable();
    for (const level of ['county', 'city', 'province', 'offshore', 'national'])
      t.integer(`limit_${level}`).notNullable();
    t.integer('created_by').nullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'ALTER TABLE campaign_rounds ADD CONSTRAINT campaign_rounds_dates CHECK (filing_deadline >= starts_on)',
  );
  await knex.schema.createTable('campaign_round_changes', (t) => {
    t.bigIncrements('id').primary();
    t.integer('round_id').notNullable().references('campaign_rounds.id');
    t.integer('changed_by').notNullable().references('users.id');
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('before').nullable();
    t.jsonb('after').notNullable();
    t.index(['round_id', 'changed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('campaign_round_changes');
  await knex.schema.dropTable('campaign_rounds');
}
