import type { Express } from 'express';
import type { TestApp } from './app';
import type { CurrentUser } from '../../src/services/session';
import { orgRepo } from '../../src/data/org';
import { systemsRepo } from '../../src/data/systems';
import { Visitor } from './browser';
import { actingUser, createRegulator, PASSWORD } from './fixtures';

/**
 * The agencies of any review chain, as signed-in regulators created on first use, and the
 * moves that take a filing up its chain (used by the 已入库信息查询 and 信息追踪 tests).
 */
export class ChainActors {
  private readonly byAgency = new Map<number, CurrentUser>();
  constructor(private readonly t: TestApp) {}

  async regulator(agencyCode: string): Promise<CurrentUser> {
    const agency = await orgRepo(this.t.knex).agencyByCode(agencyCode);
    if (!agency) throw new Error(`no agency ${agencyCode}`);
    return this.regulatorOf(agency.id);
  }

  async regulatorOf(agencyId: number): Promise<CurrentUser> {
    let user = this.byAgency.get(agencyId);
    if (!user) {
      const agency = await orgRepo(this.t.knex).agencyById(agencyId);
      const r = await createRegulator(this.t, agency!.code, {
        username: `r_${agency!.code.toLowerCase().replace(/[^a-z0-9]/g, '_')}`,
      });
      user = await actingUser(this.t, r.id);
      this.byAgency.set(agencyId, user);
    }
    return user;
  }

  async chainOf(systemId: number): Promise<number[]> {
    const s = await systemsRepo(this.t.knex).byId(systemId);
    return (await orgRepo(this.t.knex).chainOf(s!.supervising_agency_id)).map((a) => a.id);
  }

  /** Approves at each agency of the chain in turn, `steps` of them (all: up to storage). */
  async approveUp(systemId: number, steps = Number.POSITIVE_INFINITY): Promise<void> {
    const chain = await this.chainOf(systemId);
    const s = await systemsRepo(this.t.knex).byId(systemId);
    const from = s!.state === 'pending' ? chain.indexOf(s!.current_agency_id!) : 0;
    for (const agencyId of chain.slice(from, from + steps))
      await this.t.services.workflow.approve(await this.regulatorOf(agencyId), systemId, '同意');
  }

  /** Submits as the enterprise and approves all the way up: the system is stored. */
  async store(enterpriseUserId: number, systemId: number): Promise<void> {
    await this.t.services.workflow.submit(await actingUser(this.t, enterpriseUserId), systemId);
    await this.approveUp(systemId);
  }

  /** A browser-like visitor signed in as the agency's regulator. */
  async visitor(app: Express, agencyCode: string): Promise<Visitor> {
    const user = await this.regulator(agencyCode);
    const v = new Visitor(app);
    await v.login(user.username, PASSWORD);
    return v;
  }
}

/** Today ± days in China, as YYYY-MM-DD (the licence filters count days in China). */
export function chinaDay(offsetDays = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );
}

/** The system names linked in a list's name column, in page order. */
export function namesIn(html: string): string[] {
  return [...html.matchAll(/<td class="st-name"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
}

/** The table row (<tr>…</tr>) that names the system, or '' when there is none. */
export function rowOf(html: string, name: string): string {
  return html.split('<tr').find((chunk) => chunk.includes(`>${name}<`)) ?? '';
}
