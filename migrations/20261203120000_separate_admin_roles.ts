import type { Knex } from 'knex';

// 三员分立: the one `admin` role becomes three (系统管理员 sysadmin, 安全管理员 secadmin, 审计管理员
// auditor); the existing admin account becomes the sysadmin. 安全策略 is kept as a history of
// settings: every change is a new row (who, when, the whole policy), the newest row is in force.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_role_check');
  await knex('users').where({ role: 'admin' }).update({ role: 'sysadmin' });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (
    (role = 'regulator' AND agency_id IS NOT NULL AND enterprise_id IS NULL) OR
    (role = 'enterprise' AND enterprise_id IS NOT NULL AND agency_id IS NULL) OR
    (role IN ('sysadmin', 'secadmin', 'auditor') AND agency_id IS NULL AND enterprise_id IS NULL))`);

  await knex.schema.createTable('security_settings', (t) => {
    t.increments('id').primary();
    t.jsonb('settings').notNullable();
    t.integer('changed_by').nullable().references('users.id');
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('security_settings');
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_role_check');
  await knex('users').whereIn('role', ['sysadmin', 'secadmin', 'auditor']).update({ role: 'admin' });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (
    (role = 'regulator' AND agency_id IS NOT NULL AND enterprise_id IS NULL) OR
    (role = 'enterprise' AND enterprise_id IS NOT NULL AND agency_id IS NULL) OR
    (role = 'admin' AND agency_id IS NULL AND enterprise_id IS NULL))`);
}
