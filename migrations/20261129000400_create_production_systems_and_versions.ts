import type { Knex } from 'knex';

// Production systems (独立生产系统) and their frozen versions.
// `draft_data` is the enterprise's working copy; every submission freezes it into
// `system_versions`, which reviewers read and which nobody may change afterwards.
// `stored_version` points at the version in the national database: it stays put while a change
// (变更) of a stored system is drafted and reviewed, and moves when the change is stored.
// `workflow_seq` grows by one at every transition: the compare-and-set key of the review chain.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('production_systems', (t) => {
    t.increments('id').primary();
    t.integer('enterprise_id').notNullable().references('enterprises.id');
    t.text('category').notNullable();
    t.text('name').notNullable();
    t.jsonb('draft_data').notNullable().defaultTo('{}');
    t.text('state').notNullable().defaultTo('draft');
    t.integer('current_agency_id').nullable().references('agencies.id');
    t.text('arrival').nullable();
    t.integer('supervising_agency_id').notNullable().references('agencies.id');
    t.integer('latest_version').notNullable().defaultTo(0);
    t.integer('stored_version').nullable();
    t.timestamp('stored_at', { useTz: true }).nullable();
    t.integer('workflow_seq').notNullable().defaultTo(0);
    t.timestamp('state_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['enterprise_id', 'name']);
    t.index(['supervising_agency_id']);
  });
  await knex.raw(`ALTER TABLE production_systems
    ADD CONSTRAINT production_systems_category_check CHECK (category IN
      ('underground','open_pit','tailings','oil_gas_onshore','oil_gas_offshore','exploration','excavation')),
    ADD CONSTRAINT production_systems_state_check CHECK (state IN ('draft','returned','pending','stored')),
    ADD CONSTRAINT production_systems_arrival_check CHECK (arrival IN ('enterprise_submitted','lower_submitted','upper_returned')),
    ADD CONSTRAINT production_systems_pending_position CHECK (
      (state = 'pending') = (current_agency_id IS NOT NULL AND arrival IS NOT NULL)
      AND (state = 'pending' OR (current_agency_id IS NULL AND arrival IS NULL))),
    ADD CONSTRAINT production_systems_stored_version CHECK (
      (stored_version IS NULL OR stored_version BETWEEN 1 AND latest_version)
      AND (state <> 'stored' OR stored_version = latest_version)
      AND (state NOT IN ('pending','returned') OR latest_version >= 1))`);
  // The pending list of an agency, oldest first.
  await knex.raw(`CREATE INDEX production_systems_pending ON production_systems (current_agency_id, state_changed_at)
    WHERE state = 'pending'`);
  await knex.raw(
    `CREATE INDEX production_systems_enterprise ON production_systems (enterprise_id, updated_at DESC)`,
  );

  await knex.schema.createTable('system_versions', (t) => {
    t.integer('system_id').notNullable().references('production_systems.id');
    t.integer('version').notNullable();
    t.text('category').notNullable();
    t.text('name').notNullable();
    t.jsonb('data').notNullable();
    t.integer('submitted_by').notNullable().references('users.id');
    t.timestamp('submitted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['system_id', 'version']);
  });
  await knex.raw(`CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
    END $$`);
  await knex.raw(`CREATE TRIGGER system_versions_append_only BEFORE UPDATE OR DELETE ON system_versions
    FOR EACH ROW EXECUTE FUNCTION reject_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('system_versions');
  await knex.raw('DROP FUNCTION reject_change()');
  await knex.schema.dropTable('production_systems');
}
