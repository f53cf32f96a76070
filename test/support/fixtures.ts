import { orgRepo, type AgencyRow } from '../../src/data/org';
import { usersRepo } from '../../src/data/users';
import { ROLE_LABELS, type AdminRole } from '../../src/domain/roles';
import { enterprisesRepo } from '../../src/data/enterprises';
import { systemsRepo } from '../../src/data/systems';
import { withCreditCodeCheck } from '../../src/domain/creditCode';
import { exampleSystemData, validateSystem, type Category } from '../../src/domain/systems';
import type { CurrentUser, RegulatorUser } from '../../src/services/session';
import type { TestApp } from './app';
import { Visitor } from './browser';
import { enrolSecondFactor } from './secondFactor';

export const PASSWORD = 'Passw0rd2026';

/** The agencies of one real chain: 西湖区 → 杭州市 → 浙江省 → 总局. */
export const CHAIN = { county: '330106', city: '330100', province: '330000', national: '000000' } as const;

export async function agency(t: TestApp, code: string): Promise<AgencyRow> {
  const row = await orgRepo(t.knex).agencyByCode(code);
  if (!row) throw new Error(`no agency ${code}`);
  return row;
}

/** A regulator of the agency with a known password (no forced change unless asked). */
export async function createRegulator(
  t: TestApp,
  agencyCode: string,
  opts: { username?: string; password?: string; mustChange?: boolean } = {},
): Promise<{ id: number; username: string; password: string; agency: AgencyRow }> {
  const a = await agency(t, agencyCode);
  const username = opts.username ?? `reg_${agencyCode.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
  const password = opts.password ?? PASSWORD;
  const id = await usersRepo(t.knex).insert({
    username,
    password_hash: await t.hasher.hash(password),
    role: 'regulator',
    agency_id: a.id,
    name: `${a.name}审核员`,
    must_change_password: opts.mustChange ?? false,
  });
  return { id, username, password, agency: a };
}

/**
 * One of the three administrators (三员分立), username = role unless given, known password, and
 * the second factor they must have already enrolled (test/support/secondFactor.ts: Visitor.login
 * and the browser's signIn then type its codes), unless `secondFactor: false`.
 */
export async function createAdmin(
  t: TestApp,
  role: AdminRole,
  opts: { username?: string; secondFactor?: boolean } = {},
): Promise<{ id: number; username: string; password: string }> {
  const username = opts.username ?? role;
  const id = await usersRepo(t.knex).insert({
    username,
    password_hash: await t.hasher.hash(PASSWORD),
    role,
    name: ROLE_LABELS[role],
    must_change_password: false,
  });
  if (opts.secondFactor !== false) await enrolSecondFactor(t, { id, username });
  return { id, username, password: PASSWORD };
}

let serial = 0;

/**
 * Locks the username out from the tests' address the way a user would: LOGIN_MAX_FAILURES wrong
 * passwords in a row. Checks that the lock engaged: the right password is then refused.
 */
export async function lockAccount(t: TestApp, username: string, password = PASSWORD): Promise<void> {
  const v = new Visitor(t.app);
  for (let i = 0; i < t.config.login.maxFailures; i++) await v.login(username, `Wrong${i}x${password}`);
  const refused = await v.login(username, password);
  if (refused.status !== 401) throw new Error(`${username} was not locked (status ${refused.status})`);
}

/** A valid unified social credit code, different at every call. */
export function nextCreditCode(): string {
  serial++;
  return withCreditCodeCheck(`9133010${String(100000000 + serial * 7919).slice(-9)}M`.slice(0, 17));
}

/** An enterprise with one user (known password), supervised by the given agency. */
export async function createEnterprise(
  t: TestApp,
  opts: {
    supervisingCode?: string;
    regionCode?: string;
    name?: string;
    username?: string;
    ownerless?: boolean;
  } = {},
): Promise<{ id: number; userId: number; username: string; password: string; name: string }> {
  const supervising = await agency(t, opts.supervisingCode ?? CHAIN.county);
  serial++;
  const name = opts.name ?? `测试矿业有限公司${serial}`;
  const id = await enterprisesRepo(t.knex).insert({
    credit_code: nextCreditCode(),
    name,
    economic_type: '150',
    affiliation: '50',
    parent_group: null,
    legal_rep: '王五',
    safety_head: '赵六',
    contact_name: '孙七',
    contact_phone: '0571-88001234',
    contact_mobile: '13900001111',
    email: null,
    address: '浙江省杭州市西湖区文三路 1 号',
    postcode: '310000',
    region_code: opts.regionCode ?? supervising.region_code ?? '330106',
    supervising_agency_id: supervising.id,
    ownerless: opts.ownerless ?? false,
  });
  const username = opts.username ?? `ent${serial}`;
  const userId = await usersRepo(t.knex).insert({
    username,
    password_hash: await t.hasher.hash(PASSWORD),
    role: 'enterprise',
    enterprise_id: id,
    name: '孙七',
    must_change_password: false,
  });
  return { id, userId, username, password: PASSWORD, name };
}

export async function actingUser(t: TestApp, userId: number): Promise<CurrentUser> {
  const user = await t.services.session.currentUser(userId);
  if (!user) throw new Error(`no user ${userId}`);
  return user;
}

/** The signed-in regulator of that user id (a test error when it is no regulator). */
export async function regulatorUser(t: TestApp, userId: number): Promise<RegulatorUser> {
  const user = await actingUser(t, userId);
  if (user.role !== 'regulator') throw new Error(`user ${userId} is no regulator`);
  return user;
}

/** A draft system filled with the category's complete example data. */
export async function createSystem(
  t: TestApp,
  enterpriseId: number,
  category: Category,
  overrides: Record<string, string | string[]> = {},
): Promise<number> {
  serial++;
  const example = exampleSystemData(category);
  // The system's name is a field of its data too: keep the two the same.
  const input = { ...example, name: `${example.name}${serial}`, ...overrides };
  const checked = validateSystem(category, input, 'draft');
  const enterprise = await enterprisesRepo(t.knex).byId(enterpriseId);
  return systemsRepo(t.knex).insert({
    enterprise_id: enterpriseId,
    category,
    name: String(input.name),
    draft_data: checked.data,
    supervising_agency_id: enterprise!.supervising_agency_id,
  });
}
