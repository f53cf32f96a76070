import type { Services } from '../../src/services';
import { orgRepo, type AgencyRow } from '../../src/data/org';
import { usersRepo } from '../../src/data/users';

export const PASSWORD = 'Passw0rd2026';

/** The agencies of one real chain: 西湖区 → 杭州市 → 浙江省 → 总局. */
export const CHAIN = { county: '330106', city: '330100', province: '330000', national: '000000' } as const;

export async function agency(services: Services, code: string): Promise<AgencyRow> {
  const row = await orgRepo(services.knex).agencyByCode(code);
  if (!row) throw new Error(`no agency ${code}`);
  return row;
}

/** A regulator of the agency with a known password (no forced change unless asked). */
export async function createRegulator(
  services: Services,
  agencyCode: string,
  opts: { username?: string; password?: string; mustChange?: boolean } = {},
): Promise<{ id: number; username: string; password: string; agency: AgencyRow }> {
  const a = await agency(services, agencyCode);
  const username = opts.username ?? `reg_${agencyCode.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
  const password = opts.password ?? PASSWORD;
  const id = await usersRepo(services.knex).insert({
    username,
    password_hash: await services.hasher.hash(password),
    role: 'regulator',
    agency_id: a.id,
    name: `${a.name}审核员`,
    must_change_password: opts.mustChange ?? false,
  });
  return { id, username, password, agency: a };
}
