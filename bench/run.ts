import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { login as signIn, percentile } from './client';
import { approveAll, type ApprovalRun } from './approve';
import pg from 'pg';

// `npm run bench`: the pages measured against the render limit of this machine in the same run.
// It starts the bare render (bench/bare.ts: Express 5 + EJS, a 50-row table from memory) and the
// app on the bench database, and for each page measures, right after a bare run of its own,
// throughput at saturation (autocannon, as fast as answered) as a ratio to bare, p50/p99 there
// and with the SPEC's 32 users clicking about once a second. The machine is shared: only the
// ratios compare between runs. Results go to bench/results.json. See bench/README.md.

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    database: {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1/census_bench',
    },
    // An app already running there instead of one started here (no embedded scenario then).
    url: { type: 'string' },
    port: { type: 'string', default: '3100' },
    workers: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '10' },
    only: { type: 'string' },
    'no-approve': { type: 'boolean', default: false },
    'no-embedded': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(__dirname, 'results.json') },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const ROOT = path.resolve(__dirname, '..');

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU milliseconds per answered request, of the server process(es) and of its PostgreSQL backends. */
  cpu?: { app: number; db: number };
}

/**
 * Where a saturated run's CPU goes: the server's process tree and the PostgreSQL backends of its
 * database, read from /proc (utime + stime) before and after. On 2 cores shared with the load
 * generator, (app + db) ms per request bounds the throughput whatever the latency; it is what
 * the ratio to bare comes down to (bench/README.md).
 */
export interface CpuProbe {
  appPid: number;
  /** The PostgreSQL backends serving the app (their pids, asked of the database); none for PGlite. */
  backends: () => Promise<number[]>;
}
const TICK_MS = 10; // getconf CLK_TCK = 100 on Linux
/** CPU ms so far of each process (utime + stime); an ended one is left out. */
function cpuByPid(pids: readonly number[]): Map<number, number> {
  const found = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      found.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // ended meanwhile
    }
  }
  return found;
}
/** CPU ms spent between two readings; a process first seen in the second counts from its start. */
function spent(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/** CPU ms the probed processes spent while `work` ran (zero without a probe). */
async function cpuDuring<T>(probe: CpuProbe | undefined, work: () => Promise<T>) {
  const appPids = () => (probe ? [probe.appPid, ...childPids(probe.appPid)] : []);
  const before = { app: cpuByPid(appPids()), db: cpuByPid(probe ? await probe.backends() : []) };
  const result = await work();
  const cpu = {
    app: spent(before.app, cpuByPid(appPids())),
    db: spent(before.db, cpuByPid(probe ? await probe.backends() : [])),
  };
  return { result, cpu };
}
const perRequest = (ms: number, requests: number) => Math.round((ms / Math.max(1, requests)) * 100) / 100;

/** As fast as the server answers (autocannon): the throughput ceiling. */
async function saturate(
  url: string,
  cookie: string,
  conns: number,
  seconds: number,
  probe?: CpuProbe,
): Promise<Measured> {
  const { result: r, cpu } = await cpuDuring(probe, () =>
    autocannon({ url, connections: conns, duration: seconds, headers: { cookie } }),
  );
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.non2xx + r.errors,
    cpu: probe && { app: perRequest(cpu.app, r.requests.total), db: perRequest(cpu.db, r.requests.total) },
  };
}

/** `users` users each clicking at random moments, about once a second (exponential think time). */
async function users(url: string, cookie: string, count: number, seconds: number): Promise<Measured> {
  const until = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let failed = 0;
  const user = async () => {
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, -Math.log(1 - Math.random()) * 1000));
      const started = performance.now();
      const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      if (res.status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: count }, user));
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed,
  };
}

/** Starts `script` under tsx and resolves once `ready` answers 200. */
async function start(script: string, env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited (${child.exitCode})`);
    const ok = await fetch(ready)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${script} did not answer ${ready}`);
}

const appEnv = (port: number, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  NODE_ENV: 'development',
  CAPTCHA_FIXED: 'bench',
  LOGIN_ADDRESS_DAILY_FAILURES: '100000',
  LOG_LEVEL: 'warn',
  PORT: String(port),
  ...extra,
});

/** The app process's resident memory (kB), and its children's with node:cluster. */
function rssKb(pid: number): number {
  const tree = [pid, ...childPids(pid)];
  return tree.reduce((sum, p) => {
    const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
    return sum + Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }, 0);
}
function childPids(pid: number): number[] {
  try {
    const direct = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return direct.flatMap((c) => [c, ...childPids(c)]);
  } catch {
    return [];
  }
}

interface Page {
  name: string;
  path: string;
  cookie: string;
  connections?: number;
  base?: string;
  probe?: CpuProbe;
}

interface Row {
  page: string;
  path: string;
  'bare req/s': number;
  'req/s': number;
  ratio: number;
  'sat p50': number;
  'sat p99': number;
  'users p50': number;
  'users p99': number;
  /** CPU ms per request: the bare render's process, the app's, its PostgreSQL backends'. */
  'bare cpu': number | null;
  'app cpu': number | null;
  'db cpu': number | null;
  failed: number;
}

async function measure(page: Page, bareUrl: string, bareProbe: CpuProbe): Promise<Row> {
  const base = page.base!;
  const conns = page.connections ?? connections;
  // The bare render right before, with the same connections: the limit at this moment.
  const bare = await saturate(bareUrl, '', conns, Math.max(3, duration / 2), bareProbe);
  const sat = await saturate(`${base}${page.path}`, page.cookie, conns, duration, page.probe);
  const usr = await users(`${base}${page.path}`, page.cookie, conns, duration);
  return {
    page: page.name,
    path: page.path.length > 40 ? page.path.slice(0, 39) + '…' : page.path,
    'bare req/s': Math.round(bare.rps),
    'req/s': Math.round(sat.rps),
    ratio: Math.round((sat.rps / bare.rps) * 1000) / 1000,
    'sat p50': sat.p50,
    'sat p99': sat.p99,
    'users p50': usr.p50,
    'users p99': usr.p99,
    'bare cpu': bare.cpu?.app ?? null,
    'app cpu': sat.cpu?.app ?? null,
    'db cpu': sat.cpu?.db ?? null,
    failed: sat.failed + usr.failed,
  };
}

async function firstMatch(base: string, cookie: string, pagePath: string, pattern: RegExp): Promise<string> {
  const html = await (await fetch(`${base}${pagePath}`, { headers: { cookie } })).text();
  const m = html.match(pattern);
  if (!m) throw new Error(`nothing matching ${pattern} on ${pagePath}`);
  return m[1];
}

/** One .xlsx export: seconds, bytes, and how much the app process grew (peak RSS sampled). */
async function exportRun(base: string, cookie: string, pid: number) {
  const before = rssKb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 50);
  const started = performance.now();
  const res = await fetch(`${base}/stored.xlsx`, { headers: { cookie } });
  const bytes = (await res.arrayBuffer()).byteLength;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return {
    status: res.status,
    seconds: Math.round(seconds * 10) / 10,
    bytes,
    grewMb: Math.round((peak - before) / 1024),
  };
}

/** The PostgreSQL backends connected to the bench database (the app's pools), by pid. */
async function backendsOf(database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `select pid from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

const selected = (name: string) => !values.only || name.includes(values.only);

async function main() {
  const port = Number(values.port);
  const bareUrl = `http://127.0.0.1:${port + 1}/`;
  const children: ChildProcess[] = [];
  const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM'));
  process.on('exit', stopAll);
  try {
    const bareProcess = await start('bench/bare.ts', { PORT: String(port + 1) }, bareUrl);
    children.push(bareProcess);
    const bareProbe: CpuProbe = { appPid: bareProcess.pid!, backends: async () => [] };
    let base = values.url;
    let app: ChildProcess | undefined;
    if (!base) {
      base = `http://127.0.0.1:${port}`;
      const env = appEnv(port, {
        DATABASE_URL: values.database,
        SEED_DEMO: 'false',
        WEB_CONCURRENCY: values.workers,
      });
      app = await start('src/server.ts', env, `${base}/healthz`);
      children.push(app);
    }
    const login = (username: string, password = 'Bench2026pass', at = base) =>
      signIn(at, username, password, 'bench');
    const national = await login('aj000000');
    const sichuan = await login('aj510000');
    const pendingId = await firstMatch(base, sichuan, '/review', /href="\/review\/(\d+)"/);
    const code = await firstMatch(base, sichuan, '/review', /\b(9[0-9A-Z]{17})\b/);
    const pages: Page[] = [
      { name: '待审核 四川省', path: '/review', cookie: sichuan },
      { name: '待审核 总局', path: '/review', cookie: national },
      { name: '审核详情', path: `/review/${pendingId}`, cookie: sichuan },
      { name: '已入库 总局', path: '/stored', cookie: national },
      { name: '已入库 总局 第500页', path: '/stored?page=500', cookie: national },
      { name: '已入库 「尾矿」', path: `/stored?q=${encodeURIComponent('尾矿')}`, cookie: national },
      { name: '已入库 「有限公司」', path: `/stored?q=${encodeURIComponent('有限公司')}`, cookie: national },
      { name: '已入库 信用代码前缀', path: `/stored?q=${code.slice(0, 10)}`, cookie: national },
      { name: '信息追踪 总局', path: '/tracking', cookie: national },
      { name: '统计分析 总局', path: '/stats', cookie: national },
    ].map((p) => ({
      ...p,
      base,
      probe: app && { appPid: app.pid!, backends: () => backendsOf(values.database!) },
    }));
    const rows: Row[] = [];
    for (const page of pages.filter((p) => selected(p.name))) {
      const row = await measure(page, bareUrl, bareProbe);
      console.log(
        `${row.page}: ${row['req/s']} req/s = ${row.ratio} of bare, p99 ${row['sat p99']} ms saturated, ${row['users p99']} ms at 32 users; CPU ms/request app ${row['app cpu']} + db ${row['db cpu']} (bare ${row['bare cpu']})`,
      );
      rows.push(row);
    }
    if (!values['no-embedded'] && selected('嵌入式')) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-embedded-'));
      const ePort = port + 2;
      const eBase = `http://127.0.0.1:${ePort}`;
      const embedded = await start('src/server.ts', appEnv(ePort, { DATA_DIR: dataDir }), `${eBase}/healthz`);
      children.push(embedded);
      const city = await login('demo_city', 'Demo2026pass', eBase);
      const row = await measure(
        {
          name: '嵌入式 待审核 杭州市',
          path: '/review',
          cookie: city,
          connections: 8,
          base: eBase,
          // PGlite runs inside the app process: its CPU is the app's.
          probe: { appPid: embedded.pid!, backends: async () => [] },
        },
        bareUrl,
        bareProbe,
      );
      console.log(`${row.page}: ${row.ratio} of bare, p99 ${row['sat p99']} ms with 8 connections`);
      rows.push(row);
      embedded.kill('SIGTERM');
      await new Promise((r) => embedded.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    console.table(rows);
    let exported: Awaited<ReturnType<typeof exportRun>> | undefined;
    if (app && selected('导出')) {
      exported = await exportRun(base, national, app.pid!);
      console.log(
        `导出 已入库 .xlsx: ${exported.seconds} s, ${exported.bytes} bytes, process grew ${exported.grewMb} MB`,
      );
    }
    let approvals: (ApprovalRun & { cpu?: { app: number; db: number } }) | undefined;
    if (!values['no-approve'] && selected('审核通过')) {
      // Last: it changes the database (400 items at 总局 are stored).
      const probe = pages[0].probe;
      const { result, cpu } = await cpuDuring(probe, () => approveAll(base, national, connections, 400));
      approvals = {
        ...result,
        // CPU per approval: its detail GET and its POST.
        cpu: probe && {
          app: perRequest(cpu.app, result.approvals),
          db: perRequest(cpu.db, result.approvals),
        },
      };
      console.log(
        `审核通过 总局: ${approvals.approvals} in ${approvals.seconds.toFixed(1)} s = ${approvals.perSecond.toFixed(0)}/s, POST p99 ${approvals.postP99} ms, failed ${approvals.failures.length}; CPU ms/approval app ${approvals.cpu?.app} + db ${approvals.cpu?.db}`,
      );
    }
    const results = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadavg: os.loadavg() },
      workers: Number(values.workers),
      connections,
      duration,
      pages: rows,
      export: exported,
      approvals: approvals && { ...approvals, failures: approvals.failures.length },
    };
    fs.writeFileSync(values.out!, JSON.stringify(results, null, 2) + '\n');
    console.log(`written ${path.relative(process.cwd(), values.out!)}`);
    if (rows.some((r) => r.failed > 0)) process.exitCode = 1;
  } finally {
    stopAll();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
