import type { Knex } from 'knex';

// Enterprises (企业): the filers. Each has one supervising agency at any level.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('enterprises', (t) => {
    t.increments('id').primary();
    t.string('credit_code', 18).notNullable().unique();
    t.text('name').notNullable();
    t.text('economic_type').nullable();
    t.text('affiliation').nullable();
    t.text('parent_group').nullable();
    t.text('legal_rep').nullable();
    t.text('safety_head').nullable();
    t.text('contact_name').nullable();
    t.text('contact_phone').nullable();
    t.text('contact_mobile').nullable();
    t.text('email').nullable();
    t.text('address').nullable();
    t.string('postcode', 6).nullable();
    t.string('region_code', 6).notNullable().references('regions.code');
    t.integer('supervising_agency_id').notNullable().references('agencies.id');
    t.boolean('ownerless').notNullable().defaultTo(false);
    t.integer('registered_by_agency_id').nullable().references('agencies.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['supervising_agency_id']);
    t.index(['region_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('enterprises');
}
