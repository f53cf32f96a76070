import type { Knex } from 'knex';

// 站内通知 and reminders (issue 15 part 4) and 年度复查 update rounds (part 5).
// - notices: an agency's 站内通知 (items arrived, items overdue, urges received). `key` names the
//   notice uniquely, so the reminder job inserts with ON CONFLICT DO NOTHING and never twice.
// - messages.reminder_key: the same for the enterprises' reminders (filing deadline, licence);
//   a reminder concerns the enterprise, not always one system, so system_id becomes optional.
// - job_runs: when a job last ran, read and written under its advisory lock (once per interval).
// - campaign_rounds.kind: the first round is the census, later ones are update rounds (年度复查).
// - round_confirmations: per update round, each stored system confirmed unchanged or changed.
// - history action 'confirm': 确认无变化, recorded in the system's hash-chained history.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notices', (t) => {
    t.bigIncrements('id').primary();
    t.integer('agency_id').notNullable().references('agencies.id');
    t.text('kind').notNullable();
    t.text('key').notNullable().unique();
    t.text('body').notNullable();
    t.text('link').nullable();
    t.timestamp('covers_until', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('read_at', { useTz: true }).nullable();
    t.index(['agency_id', 'created_at']);
  });
  await knex.raw(`ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('arrived','overdue','urge'))`);
  await knex.raw('CREATE INDEX notices_unread ON notices (agency_id) WHERE read_at IS NULL');

  await knex.schema.alterTable('messages', (t) => {
    t.text('reminder_key').nullable().unique();
  });
  await knex.raw('ALTER TABLE messages ALTER COLUMN system_id DROP NOT NULL');

  await knex.schema.createTable('job_runs', (t) => {
    t.text('name').primary();
    t.timestamp('last_run_at', { useTz: true }).notNullable();
  });

  await knex.schema.alterTable('campaign_rounds', (t) => {
    t.text('kind').notNullable().defaultTo('census');
  });
  await knex.raw(
    `ALTER TABLE campaign_rounds ADD CONSTRAINT campaign_rounds_kind_check CHECK (kind IN ('census','update'))`,
  );

  await knex.schema.createTable('round_confirmations', (t) => {
    t.integer('round_id').notNullable().references('campaign_rounds.id');
    t.integer('system_id').notNullable().references('production_systems.id');
    t.text('how').notNullable();
    t.integer('version').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.primary(['round_id', 'system_id']);
    t.index(['system_id', 'round_id']);
  });
  await knex.raw(
    `ALTER TABLE round_confirmations ADD CONSTRAINT round_confirmations_how_check CHECK (how IN ('confirmed','changed'))`,
  );

  await knex.raw(`ALTER TABLE history DROP CONSTRAINT history_action_check,
    ADD CONSTRAINT history_action_check CHECK (action IN ('submit','approve','return','reopen','confirm'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE history DROP CONSTRAINT history_action_check,
    ADD CONSTRAINT history_action_check CHECK (action IN ('submit','approve','return','reopen'))`);
  await knex.schema.dropTable('round_confirmations');
  await knex.raw('ALTER TABLE campaign_rounds DROP CONSTRAINT campaign_rounds_kind_check');
  await knex.schema.alterTable('campaign_rounds', (t) => t.dropColumn('kind'));
  await knex.schema.dropTable('job_runs');
  await knex.schema.alterTable('messages', (t) => t.dropColumn('reminder_key'));
  await knex.schema.dropTable('notices');
}
