import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { login as signIn, percentile } from './client';

// Measures the list, detail and statistics pages under concurrent load (SPEC §11: p99 well
// under 100 ms for lists and details, statistics under 300 ms, 32 concurrent users).
// Run against a server on a national-scale database: see bench/README.md.

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '10' },
    password: { type: 'string', default: 'Bench2026pass' },
    captcha: { type: 'string', default: 'bench' },
    only: { type: 'string' },
    // Clicks per second per user: 1 = 32 users each clicking about once a second (the SPEC's
    // "32 concurrent users"); 0 = as fast as the server answers (saturation, for throughput).
    rate: { type: 'string', default: '1' },
  },
});
const base = values.url!;

const login = (username: string) => signIn(base, username, values.password!, values.captcha!);

async function firstId(cookie: string, path: string, pattern: RegExp): Promise<string> {
  const html = await (await fetch(`${base}${path}`, { headers: { cookie } })).text();
  const m = html.match(pattern);
  if (!m) throw new Error(`no id found on ${path}`);
  return m[1];
}

interface Scenario {
  name: string;
  path: string;
  cookie: string;
  budgetMs: number;
}

/**
 * `connections` users, each clicking at random moments (exponential think time, `rate` clicks
 * a second on average) — independent users rather than a synchronised burst.
 */
async function users(s: Scenario): Promise<{ rps: number; p50: number; p99: number; failed: number }> {
  const until = Date.now() + Number(values.duration) * 1000;
  const latencies: number[] = [];
  let failed = 0;
  const user = async () => {
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, -Math.log(1 - Math.random()) * (1000 / Number(values.rate))));
      const started = performance.now();
      const res = await fetch(`${base}${s.path}`, { headers: { cookie: s.cookie }, redirect: 'manual' });
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      if (res.status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: Number(values.connections) }, user));
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / Number(values.duration),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed,
  };
}

/** As fast as the server answers (autocannon): the throughput ceiling. */
async function saturate(s: Scenario): Promise<{ rps: number; p50: number; p99: number; failed: number }> {
  const result = await autocannon({
    url: `${base}${s.path}`,
    connections: Number(values.connections),
    duration: Number(values.duration),
    headers: { cookie: s.cookie },
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
  };
}

async function run(s: Scenario) {
  const r = Number(values.rate) > 0 ? await users(s) : await saturate(s);
  return {
    scenario: s.name,
    path: s.path.length > 60 ? s.path.slice(0, 57) + '…' : s.path,
    'req/s': Math.round(r.rps),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    budget: s.budgetMs,
    ok: r.p99 <= s.budgetMs && r.failed === 0 ? 'yes' : 'NO',
    failed: r.failed,
  };
}

async function main() {
  const national = await login('aj000000');
  const province = await login('aj330000');
  const county = await login('aj330106');
  const enterprise = await login('bench_ent_1');
  const pendingId = await firstId(province, '/review', /href="\/review\/(\d+)"/);
  const storedId = await firstId(national, '/stored', /href="\/stored\/(\d+)"/);
  const trackedId = await firstId(province, '/tracking', /href="\/tracking\/(\d+)"/);
  const scenarios: Scenario[] = [
    { name: '待审核 (county)', path: '/review', cookie: county, budgetMs: 100 },
    { name: '待审核 (province)', path: '/review', cookie: province, budgetMs: 100 },
    {
      name: '待审核 filtered',
      path: '/review?category=tailings&q=%E5%9F%BA%E5%87%86',
      cookie: province,
      budgetMs: 100,
    },
    { name: '待审核 by enterprise', path: '/review?sort=enterprise', cookie: province, budgetMs: 100 },
    { name: '待审核 history open', path: `/review?selected=${pendingId}`, cookie: province, budgetMs: 100 },
    { name: '审核详情', path: `/review/${pendingId}`, cookie: province, budgetMs: 100 },
    { name: '已入库 (national)', path: '/stored', cookie: national, budgetMs: 100 },
    {
      name: '已入库 filtered',
      path: '/stored?category=tailings&safety_degree=dangerous',
      cookie: national,
      budgetMs: 100,
    },
    {
      name: '已入库 text',
      path: '/stored?q=%E5%9F%BA%E5%87%86%E7%9F%BF%E4%B8%9A%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8123',
      cookie: national,
      budgetMs: 100,
    },
    { name: '已入库 page 200', path: '/stored?page=200', cookie: national, budgetMs: 100 },
    { name: '已入库 by name', path: '/stored?sort=name&dir=asc&page=50', cookie: national, budgetMs: 100 },
    { name: '已入库 by region', path: '/stored?sort=region&dir=desc', cookie: national, budgetMs: 100 },
    { name: '已入库 (province)', path: '/stored', cookie: province, budgetMs: 100 },
    { name: '已入库详情', path: `/stored/${storedId}`, cookie: national, budgetMs: 100 },
    { name: '信息追踪 (province)', path: '/tracking', cookie: province, budgetMs: 100 },
    { name: '信息追踪 (national)', path: '/tracking', cookie: national, budgetMs: 100 },
    {
      name: '信息追踪 text',
      path: `/tracking?q=${encodeURIComponent('基准生产系统1234')}`,
      cookie: national,
      budgetMs: 100,
    },
    {
      name: '信息追踪 filtered',
      path: '/tracking?status=lower_returned&category=tailings',
      cookie: national,
      budgetMs: 100,
    },
    { name: '信息追踪详情', path: `/tracking/${trackedId}`, cookie: province, budgetMs: 100 },
    { name: '统计分析 (national)', path: '/stats', cookie: national, budgetMs: 300 },
    { name: '统计分析 (province)', path: '/stats', cookie: province, budgetMs: 300 },
    { name: '企业首页', path: '/enterprise', cookie: enterprise, budgetMs: 100 },
  ].filter((s) => !values.only || s.name.includes(values.only));
  const rows = [];
  for (const s of scenarios) {
    const row = await run(s);
    console.log(
      `${row.ok === 'yes' ? '✓' : '✗'} ${row.scenario}: p99 ${row['p99 ms']} ms, ${row['req/s']} req/s`,
    );
    rows.push(row);
  }
  console.table(rows);
  if (rows.some((r) => r.ok !== 'yes')) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
