import type { Knex } from 'knex';

// Accounts, login throttling and the connect-pg-simple session table.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.text('username').notNullable().unique();
    t.text('password_hash').notNullable();
    t.text('role').notNullable();
    t.integer('agency_id').nullable().references('agencies.id');
    t.integer('enterprise_id').nullable().references('enterprises.id');
    t.text('name').nullable();
    t.text('position').nullable();
    t.text('office_phone').nullable();
    t.text('mobile').nullable();
    t.text('email').nullable();
    t.boolean('must_change_password').notNullable().defaultTo(true);
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true }).nullable();
    t.timestamp('last_login_at', { useTz: true }).nullable();
    t.timestamp('password_changed_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['agency_id']);
    t.index(['enterprise_id']);
  });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (
    (role = 'regulator' AND agency_id IS NOT NULL AND enterprise_id IS NULL) OR
    (role = 'enterprise' AND enterprise_id IS NOT NULL AND agency_id IS NULL) OR
    (role = 'admin' AND agency_id IS NULL AND enterprise_id IS NULL))`);

  // Failed logins per client address, for the per-address rate limit. Kept in the database so
  // that any number of app processes share it.
  await knex.schema.createTable('login_failures', (t) => {
    t.bigIncrements('id').primary();
    t.text('address').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['address', 'at']);
  });

  // The table connect-pg-simple expects (its own table.sql).
  await knex.raw(`CREATE TABLE "session" (
    "sid" varchar NOT NULL COLLATE "default" PRIMARY KEY,
    "sess" json NOT NULL,
    "expire" timestamp(6) NOT NULL)`);
  await knex.raw(`CREATE INDEX "IDX_session_expire" ON "session" ("expire")`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('session');
  await knex.schema.dropTable('login_failures');
  await knex.schema.dropTable('users');
}
