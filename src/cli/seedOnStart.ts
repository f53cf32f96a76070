import type { Config } from '../config';
import type { Services } from '../services';
import { orgRepo } from '../data/org';
import { seedReferenceData } from '../../seeds/01_reference_data';
import { seedDemo } from './demoData';

/**
 * What `npm start` makes sure of before it serves: the real region/agency tree, the admin
 * account and (unless SEED_DEMO=false) the demo data. Returns lines to print at start.
 */
export async function seedOnStart(services: Services, config: Config): Promise<string[]> {
  const notes: string[] = [];
  if ((await orgRepo(services.knex).countAgencies()) === 0) {
    const counts = await seedReferenceData(services.knex);
    notes.push(`已导入行政区划 ${counts.regions} 个、安监部门 ${counts.agencies} 个`);
  }
  const admin = await services.issuance.ensureAdmin(config.adminPassword);
  if (admin.generatedPassword) {
    notes.push(`管理员账号 admin 的初始密码（仅显示这一次）：${admin.generatedPassword}`);
  }
  if (config.seedDemo) notes.push(...(await seedDemo(services)));
  return notes;
}
