import type { Knex } from 'knex';

// 安全审计: one row per security event, append-only and hash-chained in one global chain (seq
// order): hash = sha256(canonical row content + prev_hash), see src/domain/audit.ts, so that
// `npm run verify:audit` can name any row altered behind the database's back. UPDATE is always
// refused; DELETE only by `npm run audit:archive` (which sets census.audit_archive for its
// transaction) and only of rows older than 180 days (网络安全法 §21). The actor is a snapshot
// (username, role, unit) without a foreign key: the record outlives any change to the account.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('seq').notNullable().unique();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('event_type').notNullable();
    t.integer('actor_user_id').nullable();
    t.text('actor_username').nullable();
    t.text('actor_role').nullable();
    t.text('actor_unit').nullable();
    t.text('address').nullable();
    t.text('object').nullable();
    t.text('result').notNullable();
    t.text('reason').nullable();
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.text('prev_hash').nullable();
    t.text('hash').notNullable();
    t.index(['at']);
    t.index(['actor_user_id', 'at']);
    t.index(['event_type', 'at']);
  });
  await knex.raw(
    `ALTER TABLE audit_log ADD CONSTRAINT audit_log_result_check CHECK (result IN ('success', 'failure'))`,
  );
  await knex.raw(`CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('census.audit_archive', true) = 'on'
         AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit_log rows are append-only: % refused (only audit:archive deletes, and only rows older than 180 days)', TG_OP
        USING ERRCODE = 'restrict_violation';
    END $$`);
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard()`);

  // Each archive run: the rows it moved to a file and the chain head they end in, from which the
  // remaining chain continues. Append-only as well.
  await knex.schema.createTable('audit_archives', (t) => {
    t.increments('id').primary();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('before', { useTz: true }).notNullable();
    t.bigInteger('first_seq').notNullable();
    t.bigInteger('last_seq').notNullable().unique();
    t.text('last_hash').notNullable();
    t.integer('row_count').notNullable();
    t.text('file').notNullable();
    t.text('file_sha256').notNullable();
  });
  await knex.raw(`CREATE TRIGGER audit_archives_append_only BEFORE UPDATE OR DELETE ON audit_archives
    FOR EACH ROW EXECUTE FUNCTION reject_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_archives');
  await knex.schema.dropTable('audit_log');
  await knex.raw('DROP FUNCTION audit_log_guard()');
}
