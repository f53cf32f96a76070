import type { Knex } from 'knex';

// The enterprise's facts as they were when a version was submitted (名称, 信用代码, 负责人, 联系方式,
// 地址, 行政区划, 直接监管部门), frozen with the version: the stored record shows what was stored,
// not what /enterprise/profile says today. Versions from before this column have none (NULL);
// their pages say that they show the enterprise's current facts.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE system_versions ADD COLUMN enterprise jsonb');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE system_versions DROP COLUMN enterprise');
}
