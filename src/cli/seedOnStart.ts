import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Services } from '../services';
import { orgRepo } from '../data/org';
import { seedReferenceData } from '../../seeds/01_reference_data';
import { seedDemo } from './demoData';

/**
 * How the operator learns the generated admin password. In production what is printed ends up
 * in the service's log (journald), so the password is not printed there: it stays unknown until
 * the operator sets one with `accounts:reset` (or sets ADMIN_PASSWORD before the first start).
 */
export function adminPasswordNote(password: string, production: boolean): string {
  const firstLogin = '首次登录须修改密码，并用手机身份验证器（如腾讯身份验证器）绑定双因素认证。';
  return production
    ? `已创建管理员账号 admin；生产环境不在日志中显示密码。请运行 npm run accounts:reset -- --username admin 取得初始密码（或在首次启动前设置 ADMIN_PASSWORD）。${firstLogin}`
    : `管理员账号 admin 的初始密码（仅显示这一次）：${password}。${firstLogin}`;
}

/**
 * What `npm start` makes sure of before it serves: the real region/agency tree, the admin
 * account and (when config.seedDemo, see config.ts) the demo data. Returns lines to print at start.
 */
export async function seedOnStart(knex: Knex, services: Services, config: Config): Promise<string[]> {
  const notes: string[] = [];
  if ((await orgRepo(knex).countAgencies()) === 0) {
    const counts = await seedReferenceData(knex);
    notes.push(`已导入行政区划 ${counts.regions} 个、安监部门 ${counts.agencies} 个`);
  }
  const admin = await services.issuance.ensureAdmin(config.adminPassword);
  if (admin.generatedPassword)
    notes.push(adminPasswordNote(admin.generatedPassword, config.env === 'production'));
  if (config.seedDemo) notes.push(...(await seedDemo(knex, services)));
  return notes;
}
