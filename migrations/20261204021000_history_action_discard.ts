import type { Knex } from 'knex';

// History action 'discard': 放弃变更, the enterprise drops an unsubmitted 变更 draft and the system
// is back at its stored version (draft → stored), recorded in the system's hash-chained history.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE history DROP CONSTRAINT history_action_check,
    ADD CONSTRAINT history_action_check CHECK (action IN ('submit','approve','return','reopen','confirm','discard'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE history DROP CONSTRAINT history_action_check,
    ADD CONSTRAINT history_action_check CHECK (action IN ('submit','approve','return','reopen','confirm'))`);
}
