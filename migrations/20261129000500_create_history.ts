import type { Knex } from 'knex';

// 操作历史: one row per action, append-only (the trigger refuses UPDATE and DELETE) and
// hash-chained per system: hash = sha256(prev_hash + canonical row content), so that
// `npm run verify:history` can name any row altered behind the database's back.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('history', (t) => {
    t.bigIncrements('id').primary();
    t.integer('system_id').notNullable().references('production_systems.id');
    t.integer('seq').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('action').notNullable();
    t.integer('actor_user_id').notNullable().references('users.id');
    t.text('actor_name').notNullable();
    t.integer('actor_agency_id').nullable().references('agencies.id');
    t.integer('actor_enterprise_id').nullable().references('enterprises.id');
    t.text('from_state').nullable();
    t.integer('from_agency_id').nullable().references('agencies.id');
    t.text('from_arrival').nullable();
    t.text('to_state').notNullable();
    t.integer('to_agency_id').nullable().references('agencies.id');
    t.text('to_arrival').nullable();
    t.integer('version').notNullable();
    t.text('note').nullable(); // return reason or approval comment
    t.specificType('fields', 'text[]').notNullable().defaultTo('{}'); // fields a return points at
    t.text('prev_hash').nullable();
    t.text('hash').notNullable();
    t.unique(['system_id', 'seq']);
  });
  await knex.raw(`ALTER TABLE history
    ADD CONSTRAINT history_action_check CHECK (action IN ('submit','approve','return','reopen')),
    ADD CONSTRAINT history_to_state_check CHECK (to_state IN ('draft','returned','pending','stored')),
    ADD CONSTRAINT history_actor_check CHECK ((actor_agency_id IS NULL) <> (actor_enterprise_id IS NULL))`);
  // 信息追踪: the systems an agency acted on.
  await knex.raw(
    `CREATE INDEX history_actor_agency ON history (actor_agency_id, system_id) WHERE actor_agency_id IS NOT NULL`,
  );
  await knex.raw(`CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION reject_change()`);

  // 站内消息 for enterprises: a system returned or stored.
  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id').primary();
    t.integer('enterprise_id').notNullable().references('enterprises.id');
    t.integer('system_id').notNullable().references('production_systems.id');
    t.text('kind').notNullable();
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('read_at', { useTz: true }).nullable();
    t.index(['enterprise_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('messages');
  await knex.schema.dropTable('history');
}
