import { canMakeClusters, TestCluster } from '../support/cluster';
import { freePort } from '../support/serverProcess';
import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor } from '../support/browser';
import { CHAIN, createEnterprise, createRegulator, PASSWORD } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { signedIn } from '../support/personas';
import {
  createKnex,
  createPools,
  DEFAULT_POOL_TIMEOUTS,
  migrateLatest,
  type Pools,
} from '../../src/db/pools';
import { ReplicaMonitor } from '../../src/db/replica';
import { seedReferenceData } from '../../seeds/01_reference_data';
import { logger } from '../../src/logger';

// Read pages on a real streaming replica (issue 14 part 4): a primary cluster of this test's own
// and a replica made from it by pg_basebackup -R. 已入库, 信息追踪 and 统计分析 read the replica;
// 待审核 and every write the primary; a user's own write is visible to them at once; a lagging
// replica is said on the page; a replica that is down leaves the pages on the primary.

const describeWithClusters = canMakeClusters ? describe : describe.skip;
if (!canMakeClusters) console.warn('replica tests skipped: pg_createcluster is not installed');

const DATABASE = 'census_replica';
let primary: TestCluster;
let replica: TestCluster;
let pools: Pools;
let monitor: ReplicaMonitor;
let stopMonitor: () => void;
let t: TestApp;
let enterprise: { id: number; userId: number };

async function until(what: string, ok: () => boolean | Promise<boolean>, withinMs = 20000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the replica holds everything committed on the primary so far. */
const replicaCaughtUp = () => {
  const now = Date.now();
  return until('the replica to catch up', () => (monitor.view().syncedThrough ?? 0) > now);
};

async function storedSystem(name: string): Promise<number> {
  return (await fileThrough(t, 'stored', { enterprise, category: 'tailings', overrides: { name } })).id;
}

const source = (res: { headers: Record<string, string> }) => res.headers['x-read-source'] ?? 'primary';

describeWithClusters('read pages on a streaming replica', () => {
  beforeAll(async () => {
    primary = TestCluster.create(`census_primary_${process.pid}`, await freePort());
    primary.psql(`CREATE DATABASE ${DATABASE}`);
    pools = createPools(primary.url(DATABASE), false);
    await migrateLatest(pools.knex);
    await seedReferenceData(pools.knex);
    replica = TestCluster.replicaOf(primary, `census_replica_${process.pid}`, await freePort());
    const replicaKnex = createKnex(replica.url(DATABASE), false, DEFAULT_POOL_TIMEOUTS, 4);
    monitor = new ReplicaMonitor(replicaKnex, pools.knex, 100);
    stopMonitor = monitor.start();
    t = await startTestApp({ REPLICA_LAG_NOTICE_SECONDS: '1' }, { pools, replica: monitor });
    enterprise = await createEnterprise(t, { supervisingCode: CHAIN.county });
  }, 120000);

  afterAll(async () => {
    stopMonitor?.();
    await monitor?.close();
    await pools?.close();
    replica?.drop();
    primary?.drop();
  });

  it('reads 已入库, 信息追踪 and 统计分析 from the replica and 待审核 from the primary', async () => {
    const id = await storedSystem('副本查询尾矿库');
    const national = await signedIn(t, 'national');
    await replicaCaughtUp();
    for (const path of ['/stored', `/stored/${id}`, '/tracking', '/stats', '/stored.xlsx']) {
      const res = await national.get(path);
      expect([path, res.status, source(res)]).toEqual([path, 200, 'replica']);
    }
    expect((await national.get('/stored')).text).toContain('副本查询尾矿库');
    expect(source(await national.get('/review'))).toBe('primary');
  });

  it('shows a user their own write at once, says when the replica lags, and catches up', async () => {
    const { id } = await fileThrough(t, 'pending@national', {
      enterprise,
      category: 'tailings',
      overrides: { name: '本人入库尾矿库' },
    }); // county, city, province approved: it waits at 总局
    const reviewer = await signedIn(t, 'national');
    const other = await createRegulator(t, CHAIN.national);
    const watcher = new Visitor(t.app);
    await watcher.login(other.username, PASSWORD);
    await replicaCaughtUp();

    // The replica stops replaying: it keeps answering with what it had.
    replica.psql('SELECT pg_wal_replay_pause()', DATABASE);
    const page = await reviewer.get(`/review/${id}`);
    const seq = /name="seq" value="(\d+)"/.exec(page.text)![1];
    const approved = await reviewer.postWithToken(
      `/review/${id}/approve`,
      { seq, confirmed: '1' },
      csrfFrom(page.text),
    );
    expect(approved.status).toBe(302);
    // The reviewer sees the system stored at once (from the primary); the colleague, on the
    // replica, not yet.
    const own = await reviewer.get('/stored');
    expect(source(own)).toBe('primary');
    expect(own.text).toContain('本人入库尾矿库');
    const stale = await watcher.get('/stored');
    expect(source(stale)).toBe('replica');
    expect(stale.text).not.toContain('本人入库尾矿库');
    // Past REPLICA_LAG_NOTICE_SECONDS (1 s here) the page says it is behind.
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect((await watcher.get('/stored')).text).toContain('本页数据来自只读副本，目前比主库滞后约');

    replica.psql('SELECT pg_wal_replay_resume()', DATABASE);
    await replicaCaughtUp();
    const fresh = await watcher.get('/stored');
    expect(source(fresh)).toBe('replica');
    expect(fresh.text).toContain('本人入库尾矿库');
    expect(fresh.text).not.toContain('滞后约');
    expect(source(await reviewer.get('/stored'))).toBe('replica');
  });

  it('leaves the read pages on the primary while the replica is down, with a warning, and returns', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const v = await signedIn(t, 'national');
    await replicaCaughtUp();
    replica.stop();
    try {
      await until('the replica to be seen down', () => !monitor.view().up);
      const res = await v.get('/stored');
      expect([res.status, source(res)]).toEqual([200, 'primary']);
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ reason: expect.any(String) }),
        'read replica unreachable: the read pages use the primary',
      );
    } finally {
      replica.start();
      warn.mockRestore();
    }
    await until('the replica to be back', () => monitor.view().up);
    await replicaCaughtUp();
    expect(source(await v.get('/stored'))).toBe('replica');
  });
});
