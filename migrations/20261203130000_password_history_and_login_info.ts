import type { Knex } from 'knex';

// Password lifecycle: the hashes of an account's previous passwords (安全策略 forbids reusing the
// last few), and what the user is told after login: the previous successful login's time and
// address and the failed attempts since.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_history', (t) => {
    t.bigIncrements('id').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('password_hash').notNullable();
    t.timestamp('replaced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'id']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.text('last_login_address').nullable();
    /** The previous successful login, shown after the current one. */
    t.timestamp('previous_login_at', { useTz: true }).nullable();
    t.text('previous_login_address').nullable();
    /** Wrong passwords since the last successful login, and between the previous one and it. */
    t.integer('failed_since_login').notNullable().defaultTo(0);
    t.integer('failed_before_login').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('last_login_address');
    t.dropColumn('previous_login_at');
    t.dropColumn('previous_login_address');
    t.dropColumn('failed_since_login');
    t.dropColumn('failed_before_login');
  });
  await knex.schema.dropTable('password_history');
}
