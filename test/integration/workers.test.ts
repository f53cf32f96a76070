import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { freePort, httpGet, productionEnv, runScript, startServer } from '../support/serverProcess';

// WEB_CONCURRENCY=2 (issue 14 part 3): two server processes on one port under node:cluster — one
// start message, both serving, a worker that dies is replaced, the metrics of both on the
// primary's loopback port, a SIGTERM ends them all, and a port in use still exits 1.

const DATABASE = `census_workers_${process.pid}`;
const MAIN = (process.env.DATABASE_URL ?? '').replace(/\/[^/]*$/, '');

const psql = (sql: string) =>
  execFileSync('psql', [`${MAIN}/postgres`, '-AtXqc', sql], { encoding: 'utf8' }).trim();

function children(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function until(what: string, ok: () => boolean | Promise<boolean>, withinMs = 30000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const onRealServer = process.env.DATABASE_EMBEDDED !== 'true' && MAIN.startsWith('postgres');
const describeOnServer = onRealServer ? describe : describe.skip;

describeOnServer('WEB_CONCURRENCY=2', () => {
  let port: number;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    psql(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    psql(`CREATE DATABASE ${DATABASE}`);
    port = await freePort();
    env = productionEnv({
      DATABASE_URL: `${MAIN}/${DATABASE}`,
      PORT: String(port),
      WEB_CONCURRENCY: '2',
      SECURE_COOKIES: 'false',
    });
  });
  afterAll(() => psql(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));

  it('serves from two workers, replaces one that dies, sums their metrics and stops on SIGTERM', async () => {
    const metricsPort = await freePort();
    const server = await startServer('src/server.ts', { ...env, METRICS_PORT: String(metricsPort) });
    try {
      await until('both workers', () => children(server.pid).length === 2);
      expect(server.output().match(/已启动/g)).toHaveLength(1);
      expect(server.output()).toContain('工作进程：2 个');
      for (let i = 0; i < 6; i++) expect((await httpGet(port, '/login')).status).toBe(200);

      const [first] = children(server.pid);
      process.kill(first, 'SIGKILL');
      await until('a new worker', () => {
        const now = children(server.pid);
        return now.length === 2 && !now.includes(first);
      });
      await until(
        'serving',
        async () => (await httpGet(port, '/login').catch(() => ({ status: 0 }))).status === 200,
      );

      // Summed over every worker: a scrape while the new one still loads fails (the next succeeds).
      let metrics = { status: 0, body: '' };
      await until('the metrics of both workers', async () => {
        metrics = await httpGet(metricsPort, '/metrics');
        return metrics.status === 200;
      });
      expect(metrics.body).toContain('census_http_request_duration_seconds_bucket');
      expect(metrics.body).toContain('census_db_pool_connections');
    } finally {
      const workers = children(server.pid);
      await server.stop();
      // Every process gone, the port free.
      for (const pid of workers) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
      await expect(httpGet(port, '/login')).rejects.toThrow();
    }
  }, 120000);

  it('exits 1 with the Chinese message when its port is in use', async () => {
    const server = await startServer('src/server.ts', env);
    try {
      const second = runScript('src/server.ts', [], env);
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`端口 ${port} 已被占用`);
    } finally {
      await server.stop();
    }
  }, 120000);
});
