import type { Knex } from 'knex';

// 双因素 (TOTP, RFC 6238; issue 13 item 3):
// - second_factors: one per account. The TOTP secret encrypted (AES-256-GCM under TOTP_KEY, see
//   services/secretBox.ts); `enabled_at` null while an enrolment waits for its confirming code;
//   `last_time_step` the 30-second step of the last code accepted (a code of that step or an
//   earlier one is refused: no replay).
// - recovery_codes: one-time codes shown once at enrolment, kept as sha256 (they are random,
//   50 bits each); `used_at` set when one signs in, once.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('second_factors', (t) => {
    t.integer('user_id').primary().references('users.id').onDelete('CASCADE');
    t.text('secret_encrypted').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('enabled_at', { useTz: true }).nullable();
    t.bigInteger('last_time_step').nullable();
  });
  await knex.schema.createTable('recovery_codes', (t) => {
    t.bigIncrements('id').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('code_hash').notNullable();
    t.timestamp('used_at', { useTz: true }).nullable();
    t.unique(['user_id', 'code_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('recovery_codes');
  await knex.schema.dropTable('second_factors');
}
