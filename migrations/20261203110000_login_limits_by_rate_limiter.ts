import type { Knex } from 'knex';

// Login throttling moves to rate-limiter-flexible (RateLimiterPostgres): one table of its
// counters for every login limiter (src/data/loginLimits.ts), in the library's own layout
// (key = limiter prefix + ':' + key, points, expire in epoch milliseconds). The hand-written
// counters it replaces — login_failures and users.failed_logins / locked_until — go.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE login_limits (
    key varchar(255) PRIMARY KEY,
    points integer NOT NULL DEFAULT 0,
    expire bigint)`);
  await knex.raw('CREATE INDEX login_limits_expire ON login_limits (expire)');
  await knex.schema.dropTable('login_failures');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('failed_logins');
    t.dropColumn('locked_until');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true }).nullable();
  });
  await knex.schema.createTable('login_failures', (t) => {
    t.bigIncrements('id').primary();
    t.text('address').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['address', 'at']);
  });
  await knex.schema.dropTable('login_limits');
}
