import { usersRepo } from '../../src/data/users';
import { enterprisesRepo } from '../../src/data/enterprises';
import type { EnterpriseUser, RegulatorUser } from '../../src/services/session';
import type { TestApp } from './app';
import { Visitor } from './browser';
import { actingUser, CHAIN, createEnterprise, createRegulator, PASSWORD, regulatorUser } from './fixtures';

// The named users of the tests, one per level of the real chain 西湖区 → 杭州市 → 浙江省 → 总局
// and one enterprise under 西湖区. Each is created on first use and found by its username after
// (so a test that runs alone makes the ones it needs, and a data reset forgets them).

export type Level = keyof typeof CHAIN;

/** A level of CHAIN, or any agency code (滨江区 '330108', 天津监督处 'HYAB-CNOOC-TJ', …). */
export type AgencyRef = Level | string;

const codeOf = (at: AgencyRef): string => (at in CHAIN ? CHAIN[at as Level] : at);

/** The persona reviewer's username of an agency: r_330106, r_hyab_cnooc_tj. */
export const reviewerUsername = (at: AgencyRef): string =>
  `r_${codeOf(at)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '_')}`;

export interface RegulatorPersona {
  id: number;
  username: string;
  password: string;
  user: RegulatorUser;
}

/** The named reviewer of the agency (county: 西湖区, city: 杭州市, province: 浙江省, national: 总局). */
export async function reviewer(t: TestApp, at: AgencyRef): Promise<RegulatorPersona> {
  const username = reviewerUsername(at);
  const id =
    (await usersRepo(t.knex).byUsername(username))?.id ??
    (await createRegulator(t, codeOf(at), { username })).id;
  return { id, username, password: PASSWORD, user: await regulatorUser(t, id) };
}

export interface EnterprisePersona {
  id: number;
  userId: number;
  username: string;
  password: string;
  name: string;
  user: EnterpriseUser;
}

const ENTERPRISE_USERNAME = 'ent_xihu';

/** The named enterprise, 杭州西湖测试矿业有限公司, supervised by 西湖区. */
export async function enterprise(t: TestApp): Promise<EnterprisePersona> {
  const row = await usersRepo(t.knex).byUsername(ENTERPRISE_USERNAME);
  const e = row
    ? {
        id: row.enterprise_id!,
        userId: row.id,
        username: row.username,
        password: PASSWORD,
        name: (await enterprisesRepo(t.knex).byId(row.enterprise_id!))!.name,
      }
    : await createEnterprise(t, {
        supervisingCode: CHAIN.county,
        name: '杭州西湖测试矿业有限公司',
        username: ENTERPRISE_USERNAME,
      });
  return { ...e, user: (await actingUser(t, e.userId)) as EnterpriseUser };
}

/** A browser-like visitor signed in as the agency's named reviewer, or as the named enterprise. */
export async function signedIn(t: TestApp, as: AgencyRef | 'enterprise'): Promise<Visitor> {
  const { username, password } = as === 'enterprise' ? await enterprise(t) : await reviewer(t, as);
  const v = new Visitor(t.app);
  const res = await v.login(username, password);
  if (res.status !== 302) throw new Error(`${username} could not sign in (status ${res.status})`);
  return v;
}
