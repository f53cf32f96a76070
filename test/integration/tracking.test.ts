import { startTestApp, type TestApp } from '../support/app';
import { CHAIN, createEnterprise } from '../support/fixtures';
import { rowOf } from '../support/storedFixtures';
import { bringTo, fileThrough, type EnterpriseRef } from '../support/filings';
import { reviewer as persona, signedIn } from '../support/personas';
import type { Visitor } from '../support/browser';
import { systemsRepo } from '../../src/data/systems';
import { BACKFILL_SQL, BACKFILL_STATUS_SQL } from '../../migrations/20261129006000_create_tracking';
import { orgRepo } from '../../src/data/org';
import { trackingStatus } from '../../src/domain/tracking';
import { ARRIVALS, type Position } from '../../src/domain/workflow';
import type { CurrentUser } from '../../src/services/session';

let t: TestApp;
type Level = 'county' | 'city' | 'province' | 'national';
const LEVELS: Level[] = ['county', 'city', 'province', 'national'];
const reviewer = {} as Record<Level, CurrentUser>;
const browser = {} as Record<Level, Visitor>;

beforeAll(async () => {
  t = await startTestApp();
  for (const level of LEVELS) {
    reviewer[level] = (await persona(t, level)).user;
    browser[level] = await signedIn(t, level);
  }
});
afterAll(async () => t.close());

/** The 追踪状态 tag of the system on the agency's 信息追踪 page, or null when it is not listed. */
async function trackingTagOf(level: Level, name: string): Promise<string | null> {
  const res = await browser[level].get('/tracking');
  expect(res.status).toBe(200);
  const row = rowOf(res.text, name);
  return row ? (/<span class="tag tag-\w+">([^<]+)<\/span>/.exec(row)?.[1] ?? '') : null;
}

async function tags(levels: Level[], name: string): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const level of levels) out[level] = await trackingTagOf(level, name);
  return out;
}

/** The arrival tag of the system on the agency's 待审核 list, or null when it is not there. */
async function pendingTagOf(level: Level, name: string): Promise<string | null> {
  const res = await browser[level].get('/review');
  expect(res.status).toBe(200);
  const row = rowOf(res.text, name);
  return row ? (/<span class="tag tag-\w+">([^<]+)<\/span>/.exec(row)?.[1] ?? '') : null;
}

describe('信息追踪 along county → city → province → national (the sequence of the issue)', () => {
  let enterprise: EnterpriseRef;

  beforeAll(async () => {
    enterprise = await createEnterprise(t, { supervisingCode: CHAIN.county });
  });

  // The moves of the sequence, in order; each test makes the next one on a filing of its own
  // that the moves before it have brought there (so that every test runs alone).
  const MOVES: ((id: number) => Promise<unknown>)[] = [
    (id) => bringTo(t, id, 'pending@province'), // county and city approve
    (id) => t.services.workflow.return(reviewer.province, id, '库容数据有误'),
    (id) => t.services.workflow.return(reviewer.city, id, '同意省局意见'),
    (id) => t.services.workflow.return(reviewer.county, id, '请企业核实库容'),
    (id) => bringTo(t, id, 'stored'), // resubmitted, every level approves
  ];

  /** A new tailings filing, submitted, then moved by MOVES[0 … step] (step included). */
  async function filingMovedBy(step: number): Promise<{ id: number; name: string }> {
    const { id, name } = await fileThrough(t, 'submitted', { enterprise, category: 'tailings' });
    for (const move of MOVES.slice(0, step + 1)) await move(id);
    return { id, name };
  }

  it('after county and city approved, it waits at the province: 上级待审核 for county and city', async () => {
    const { id, name } = await filingMovedBy(0);
    expect(await tags(['county', 'city'], name)).toEqual({ county: '上级待审核', city: '上级待审核' });
    // The province has not acted on it: it is in its pending list, not in its tracking.
    expect(await trackingTagOf('province', name)).toBeNull();
    expect((await browser.province.get(`/tracking/${id}`)).status).toBe(404);
    const detail = await browser.county.get(`/tracking/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('浙江省安全生产监督管理局（下级报送）');
    expect(detail.text).toContain('上级待审核');
  });

  it('the province returns it: 已退回下级 for the province, 上级待审核 for the county; the city has it as 上级退回', async () => {
    const { name } = await filingMovedBy(1);
    expect(await tags(['province', 'county'], name)).toEqual({
      province: '已退回下级',
      county: '上级待审核',
    });
    expect(await pendingTagOf('city', name)).toBe('上级退回');
    expect(await trackingTagOf('city', name)).toBe('本级待处理');
  });

  it('the city returns it to the county: 已退回下级 for city and province; the county has it as 上级退回', async () => {
    const { name } = await filingMovedBy(2);
    expect(await tags(['city', 'province'], name)).toEqual({ city: '已退回下级', province: '已退回下级' });
    expect(await pendingTagOf('county', name)).toBe('上级退回');
    expect(await trackingTagOf('county', name)).toBe('本级待处理');
  });

  it('the county returns it to the enterprise: 已退回企业 for all three', async () => {
    const { id, name } = await filingMovedBy(3);
    expect(await tags(['county', 'city', 'province'], name)).toEqual({
      county: '已退回企业',
      city: '已退回企业',
      province: '已退回企业',
    });
    const detail = await browser.city.get(`/tracking/${id}`);
    expect(detail.text).toContain('企业（已退回）');
    expect(detail.text).toContain('请企业核实库容');
  });

  it('after a resubmission and approval at every level: 已入库 for all, pointing to the stored record', async () => {
    const { id, name } = await filingMovedBy(4);
    expect(await tags(LEVELS, name)).toEqual({
      county: '已入库',
      city: '已入库',
      province: '已入库',
      national: '已入库',
    });
    for (const level of LEVELS) {
      const row = rowOf((await browser[level].get('/tracking')).text, name);
      expect(row).toContain(`href="/stored/${id}"`);
      expect((await browser[level].get(`/stored/${id}`)).status).toBe(200);
    }
  });
});

describe('信息追踪: list filters and detail jurisdiction', () => {
  let pendingName: string;
  let returnedName: string;
  let returnedId: number;

  beforeAll(async () => {
    const e = await createEnterprise(t, {
      supervisingCode: CHAIN.county,
      name: '追踪筛选矿业有限公司',
    });
    pendingName = (await fileThrough(t, 'pending@city', { enterprise: e })).name;
    const b = await fileThrough(t, 'submitted', { enterprise: e, category: 'underground' });
    await t.services.workflow.return(reviewer.county, b.id, '请补充采矿许可证信息');
    returnedName = b.name;
    returnedId = b.id;
  });

  it('filters by status, category and text, with counts per status', async () => {
    const v = browser.county;
    const upper = (await v.get('/tracking?status=upper_pending')).text;
    expect(upper).toContain(pendingName);
    expect(upper).not.toContain(returnedName);
    const back = (await v.get('/tracking?status=enterprise_returned')).text;
    expect(back).toContain(returnedName);
    expect(back).not.toContain(pendingName);
    const underground = (await v.get('/tracking?category=underground')).text;
    expect(underground).toContain(returnedName);
    expect(underground).not.toContain(pendingName);
    const text = (await v.get(`/tracking?q=${encodeURIComponent('追踪筛选')}`)).text;
    expect(text).toContain('共 <strong>2</strong> 条');
    expect(text).toMatch(/上级待审核 <span class="st-chip-count">1<\/span>/);
    const bogus = await v.get('/tracking?status=nonsense&category=underground');
    expect(bogus.status).toBe(400);
    expect(bogus.text).toContain('查询条件“追踪状态”的取值无法识别，已忽略该条件');
    expect(bogus.text).toContain(returnedName); // the page, with the category filter still applied
    expect(bogus.text).not.toContain(pendingName);
    const none = (await v.get('/tracking?q=no-such-thing')).text;
    expect(none).toContain('没有符合条件的信息');
  });

  it('opens a detail that goes back to the same filtered list', async () => {
    const list = await browser.county.get('/tracking?status=enterprise_returned');
    const link = `/tracking/${returnedId}?from=status%3Denterprise_returned`;
    expect(list.text).toContain(`href="${link}"`);
    const detail = (await browser.county.get(link)).text;
    expect(detail).toContain('href="/tracking?status=enterprise_returned">返回信息追踪</a>');
  });

  it('opens the detail only for systems the agency acted on', async () => {
    const mine = await browser.county.get(`/tracking/${returnedId}`);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('已退回企业');
    expect(mine.text).toContain('请补充采矿许可证信息');
    expect(mine.text).toContain('最新版本填报信息（第 1 版）');
    expect((await browser.city.get(`/tracking/${returnedId}`)).status).toBe(404);
    const neighbour = await signedIn(t, '330108');
    expect((await neighbour.get(`/tracking/${returnedId}`)).status).toBe(404);
    expect((await browser.county.get('/tracking/99999')).status).toBe(404);
  });
});

describe('信息追踪 is maintained with every move', () => {
  /** The tracking table, ordered, as plain rows. */
  const snapshot = () => t.knex('tracking').orderBy(['agency_id', 'system_id']).select('*');

  it('holds what the migration builds from the history, also for an agency that left the chain', async () => {
    // A county that returned a pond is no longer on its chain once the enterprise moves to a
    // neighbour's supervision and resubmits: no status for it, a status for the neighbour.
    const e = await createEnterprise(t, { supervisingCode: CHAIN.county });
    const { id, owner: ent } = await fileThrough(t, 'submitted', { enterprise: e, category: 'tailings' });
    await t.services.workflow.return(reviewer.county, id, '请改由拱墅区监管');
    const neighbour = (await orgRepo(t.knex).agencyByCode('330105'))!;
    await t.knex('enterprises').where({ id: e.id }).update({ supervising_agency_id: neighbour.id });
    await t.services.workflow.submit(ent, id);
    await t.services.workflow.approve((await persona(t, '330105')).user, id, '');
    const county = (await orgRepo(t.knex).agencyByCode(CHAIN.county))!;
    const rows = await t.knex('tracking').where({ system_id: id }).orderBy('agency_id');
    expect(rows.map((r) => [r.agency_id, r.status, r.last_action])).toEqual(
      [
        [county.id, null, 'return'],
        [neighbour.id, 'upper_pending', 'approve'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );

    // Every system of this file so far, rebuilt from the history by the migration's backfill.
    const maintained = await snapshot();
    // Every row of this system is among them (the other tests' systems too when they ran before).
    expect(maintained.filter((r) => r.system_id === id)).toHaveLength(2);
    await t.knex.raw('TRUNCATE tracking');
    await t.knex.raw(BACKFILL_SQL);
    expect(await snapshot()).toEqual(maintained);
  });
});

describe("信息追踪: the migration's SQL status agrees with the domain rule on every position", () => {
  it('for each viewer on and off the chain, each position, with and without a stored version', async () => {
    const e = await createEnterprise(t, { supervisingCode: CHAIN.county });
    const { id } = await fileThrough(t, 'submitted', { enterprise: e, category: 'exploration' });
    const org = orgRepo(t.knex);
    const chain = (await org.chainOf((await systemsRepo(t.knex).byId(id))!.supervising_agency_id)).map(
      (a) => a.id,
    );
    const offChain = await Promise.all(['330108', '320000', 'HYAB'].map((c) => org.agencyByCode(c)));
    const viewers = [...chain, ...offChain.map((a) => a!.id)];
    const holders = [...chain, offChain[0]!.id];

    const positions: Position[] = [
      { state: 'draft', agencyId: null, arrival: null },
      { state: 'returned', agencyId: null, arrival: null },
      { state: 'stored', agencyId: null, arrival: null },
      ...holders.flatMap((agencyId) =>
        ARRIVALS.map((arrival) => ({ state: 'pending' as const, agencyId, arrival })),
      ),
    ];
    /** What the migration's backfill says the viewer sees. */
    const backfillStatus = async (viewer: number) =>
      (
        await t.knex.raw(
          `SELECT ${BACKFILL_STATUS_SQL} AS status FROM production_systems ps
             JOIN agencies me ON me.id = ? JOIN agencies sup ON sup.id = ps.supervising_agency_id
             LEFT JOIN agencies cur ON cur.id = ps.current_agency_id WHERE ps.id = ?`,
          [viewer, id],
        )
      ).rows[0].status;
    let compared = 0;
    for (const p of positions) {
      for (const hasStored of p.state === 'stored' ? [true] : [false, true]) {
        await t
          .knex('production_systems')
          .where({ id })
          .update({
            state: p.state,
            current_agency_id: p.agencyId,
            arrival: p.arrival,
            stored_version: hasStored ? 1 : null,
          });
        for (const viewer of viewers) {
          expect({ p, hasStored, viewer, status: await backfillStatus(viewer) }).toEqual({
            p,
            hasStored,
            viewer,
            status: trackingStatus(p, chain, viewer, hasStored),
          });
          compared++;
        }
      }
    }
    expect(compared).toBe(7 * (2 + 1 + 2 + 5 * 3 * 2));
  });
});
