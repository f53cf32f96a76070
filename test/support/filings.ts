import { orgRepo } from '../../src/data/org';
import { systemsRepo } from '../../src/data/systems';
import type { AgencyLevel } from '../../src/domain/orgTree';
import type { Category } from '../../src/domain/systems';
import type { EnterpriseUser } from '../../src/services/session';
import type { TestApp } from './app';
import { actingUser, createEnterprise, createSystem } from './fixtures';
import { reviewer } from './personas';

// The one way the tests push a filing through the chain: the enterprise submits, and the named
// reviewer of each agency of its chain approves in turn, through the real workflow service.

/**
 * Where a filing is brought: a draft; submitted (waiting at its supervising agency);
 * waiting at the agency of that level of its chain; stored.
 */
export type FilingTarget = 'draft' | 'submitted' | `pending@${AgencyLevel}` | 'stored';

/** The enterprise of a filing: its id and its user's. */
export interface EnterpriseRef {
  id: number;
  userId: number;
}

/** An enterprise the driver creates: with its user's credentials and its name. */
export type EnterpriseFixture = Awaited<ReturnType<typeof createEnterprise>>;

export interface Filing<E extends EnterpriseRef = EnterpriseFixture> {
  id: number;
  name: string;
  /** The enterprise given, or the one created. */
  enterprise: E;
  owner: EnterpriseUser;
}

export interface FilingOptions<E extends EnterpriseRef = EnterpriseFixture> {
  category?: Category;
  /** Field values over the category's complete example data (`name` included). */
  overrides?: Record<string, string | string[]>;
  /** The enterprise filing it; a new one (supervised by `supervisingCode`) when not given. */
  enterprise?: E;
  supervisingCode?: string;
  regionCode?: string;
  enterpriseName?: string;
}

/** A new filing (open_pit unless told) of a new or given enterprise, brought to `to`. */
export async function fileThrough<E extends EnterpriseRef = EnterpriseFixture>(
  t: TestApp,
  to: FilingTarget,
  opts: FilingOptions<E> = {},
): Promise<Filing<E>> {
  const e: E =
    opts.enterprise ??
    ((await createEnterprise(t, {
      supervisingCode: opts.supervisingCode,
      regionCode: opts.regionCode,
      name: opts.enterpriseName,
    })) as unknown as E);
  const id = await createSystem(t, e.id, opts.category ?? 'open_pit', opts.overrides);
  await bringTo(t, id, to);
  const system = await systemsRepo(t.knex).byId(id);
  return { id, name: system!.name, enterprise: e, owner: (await actingUser(t, e.userId)) as EnterpriseUser };
}

/**
 * Moves an existing filing forward to `to`: a draft or returned one is submitted first, then
 * each agency it waits at approves ('同意') until it waits at the level asked or is stored.
 */
export async function bringTo(t: TestApp, systemId: number, to: FilingTarget): Promise<void> {
  const systems = systemsRepo(t.knex);
  let s = (await systems.byId(systemId))!;
  if (to === 'draft') {
    if (s.state !== 'draft') throw new Error(`filing ${systemId} is ${s.state}, not a draft`);
    return;
  }
  if (s.state === 'draft' || s.state === 'returned') {
    const owner = await t.knex('users').where({ enterprise_id: s.enterprise_id }).orderBy('id').first('id');
    await t.services.workflow.submit(await actingUser(t, owner.id), systemId);
    if (to === 'submitted') return;
    s = (await systems.byId(systemId))!;
  }
  const org = orgRepo(t.knex);
  for (;;) {
    if (s.state === 'stored') {
      if (to === 'stored') return;
      throw new Error(`filing ${systemId} was stored before it reached ${to}`);
    }
    const at = (await org.agencyById(s.current_agency_id!))!;
    if (to === `pending@${at.level}` || to === 'submitted') return;
    const { user } = await reviewer(t, at.code);
    await t.services.workflow.approve(user, systemId, '同意');
    s = (await systems.byId(systemId))!;
  }
}
