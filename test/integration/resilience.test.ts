import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { canMakeClusters, TestCluster } from '../support/cluster';
import {
  freePort,
  productionEnv,
  ROOT,
  runScript,
  startServer,
  type ServerProcess,
} from '../support/serverProcess';
import { csrfFrom, Visitor } from '../support/browser';
import { DEMO_PASSWORD } from '../../src/cli/demoData';
import { exampleSystemData } from '../../src/domain/systems';

// The server as a separate process on a PostgreSQL cluster of this run's own (a free port), which
// the tests stop, freeze and terminate under it. What a user and a load balancer rely on: the
// process never dies of its database, every answer comes within its bound (503 + Retry-After
// while the database is away), and it serves again by itself once the database is back.

const DATABASE = 'census_resilience';
// Short bounds so that the file runs quickly; the production defaults are 5 s and 15 s.
const ACQUIRE_MS = 2000;
const STATEMENT_MS = 3000;
/** The longest any request may take while the database is away: a wait, a statement, a margin. */
const BOUND_MS = ACQUIRE_MS + STATEMENT_MS + 3000 + 2000;

const describeWithClusters = canMakeClusters ? describe : describe.skip;
if (!canMakeClusters) console.warn('resilience tests skipped: pg_createcluster is not installed');

let cluster: TestCluster;
let port: number;
let metricsPort: number;
let server: ServerProcess;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return productionEnv({
    DATABASE_URL: cluster.url(DATABASE),
    PORT: String(port),
    DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_MS),
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS),
    SECURE_COOKIES: 'false', // plain HTTP here: the session cookie must come back
    ...extra,
  });
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
  ms: number;
  cookie: string | undefined;
  headers: http.IncomingHttpHeaders;
}

/** A GET with its duration; a refused or reset connection is an answer too (status 0). */
function timedGet(pathname: string, toPort = port, cookie?: string): Promise<Answer> {
  const started = Date.now();
  const headers = cookie ? { cookie } : {};
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port: toPort, path: pathname, agent: false, headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string,
            body,
            ms: Date.now() - started,
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', () =>
      resolve({
        status: 0,
        retryAfter: undefined,
        body: '',
        ms: Date.now() - started,
        cookie: undefined,
        headers: {},
      }),
    );
  });
}

async function until(what: string, check: () => Promise<boolean>, withinMs = 20000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not within ${withinMs} ms: ${what}`);
}

const serving = async () =>
  (await timedGet('/login')).status === 200 && (await timedGet('/healthz')).status === 200;

/**
 * Requests one after another for `ms`, as users keep clicking during an outage: the login page
 * of a visitor who already has a session (whose lookup needs the database) and /healthz.
 */
async function requestsFor(ms: number, cookie: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end)
    answers.push(...(await Promise.all([timedGet('/login', port, cookie), timedGet('/healthz')])));
  return answers;
}

/** A visitor's session cookie, as the login page hands it out. */
async function sessionCookie(): Promise<string> {
  const { cookie } = await timedGet('/login');
  if (!cookie) throw new Error('the login page set no session cookie');
  return cookie;
}

/** The hidden fields of the 503 page's resubmission form, unescaped. */
function hiddenFields(html: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const unescape = (v: string) =>
    v
      .replace(/&#34;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const name = unescape(m[1]);
    fields.set(name, [...(fields.get(name) ?? []), unescape(m[2])]);
  }
  return fields;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeWithClusters('the server and its database going away', () => {
  beforeAll(async () => {
    cluster = TestCluster.create(`census_resilience_${process.pid}`, await freePort());
    cluster.psql(`CREATE DATABASE ${DATABASE}`);
    port = await freePort();
    metricsPort = await freePort();
    // Development with the demo, so that an enterprise can sign in (fixed captcha) and file.
    server = await startServer(
      'src/server.ts',
      env({
        NODE_ENV: 'development',
        SEED_DEMO: 'true',
        CAPTCHA_FIXED: 'k7m2',
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'info',
      }),
    );
  }, 180000);

  afterAll(async () => {
    try {
      cluster?.thaw();
    } catch {
      // not frozen, or already gone
    }
    await server?.stop();
    cluster?.drop();
  }, 60000);

  // Each test leaves the cluster running and the server serving, whatever it did.
  afterEach(async () => {
    try {
      cluster.thaw();
    } catch {
      // not frozen
    }
    try {
      cluster.start();
    } catch {
      // already running
    }
    await until('serving again after the test', serving, 30000);
  }, 60000);

  it('answers 503 with Retry-After while the database is stopped, and serves again once it is back', async () => {
    await until('serving', serving);
    const cookie = await sessionCookie();
    cluster.stop();
    const during = await requestsFor(8000, cookie);
    expect(alive(server.pid)).toBe(true);
    expect(during.length).toBeGreaterThan(2);
    for (const answer of during) {
      expect(answer.ms).toBeLessThan(BOUND_MS);
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toMatch(/^\d+$/);
    }
    const page = during.find((a) => a.body.includes('<html'))!;
    expect(page.body).toContain('数据库暂时无法访问');
    const health = JSON.parse(during.find((a) => a.body.startsWith('{'))!.body) as { database: string };
    expect(health.database).toBe('unreachable');

    cluster.start();
    await until('serving without a restart of the app', serving);
    expect(alive(server.pid)).toBe(true);
    // The outage is one line each way in the log, not a stack per request.
    expect(server.output().match(/database unavailable/g)).toHaveLength(1);
    // What was written before the outage is whole.
    const verify = runScript('src/cli/verify.ts', [], env());
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  }, 90000);

  it('keeps a filing posted during an outage on the 503 page, and posts it again once the database is back', async () => {
    await until('serving', serving);
    const enterprise = new Visitor(`http://localhost:${port}`);
    const signedIn = await enterprise.login('demo_ent', DEMO_PASSWORD, 'k7m2');
    expect(signedIn.text.match(/class="[^"]*error[^"]*"[^>]*>[^<]*/g)).toBeNull();
    expect(signedIn.status).toBe(302);
    const newForm = '/enterprise/systems/new?category=tailings';
    const token = csrfFrom((await enterprise.get(newForm)).text);
    const name = `停电时填写的尾矿库${Date.now()}`;
    const form = { ...exampleSystemData('tailings'), name, category: 'tailings', intent: 'save' };

    cluster.stop();
    const failed = await enterprise.postWithToken('/enterprise/systems', form, token);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toMatch(/^\d+$/);
    expect(failed.text).toContain('没有保存');
    const kept = hiddenFields(failed.text);
    expect(kept.get('name')).toEqual([name]);
    expect(failed.text).toContain('action="/enterprise/systems"');

    cluster.start();
    await until('serving', serving);
    const body = new URLSearchParams();
    for (const [field, values] of kept) for (const v of values) body.append(field, v);
    const again = await enterprise.agent.post('/enterprise/systems').type('form').send(body.toString());
    expect(again.status).toBe(302);
    const saved = cluster.psql(`SELECT count(*) FROM production_systems WHERE name = '${name}'`, DATABASE);
    expect(saved).toBe('1');
  }, 90000);

  it('lives through the termination of every one of its connections', async () => {
    await until('serving', serving);
    const terminated = cluster.psql(
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${DATABASE}' AND pid <> pg_backend_pid()`,
    );
    expect(Number(terminated)).toBeGreaterThan(0);
    await until('serving with fresh connections', serving, 10000);
    expect(alive(server.pid)).toBe(true);
  }, 60000);

  it('keeps every answer within its bound while the database is frozen for 20 s', async () => {
    await until('serving', serving);
    const cookie = await sessionCookie();
    cluster.freeze();
    const during = await requestsFor(20000, cookie);
    cluster.thaw();
    expect(alive(server.pid)).toBe(true);
    for (const answer of during) {
      expect(answer.ms).toBeLessThan(BOUND_MS);
      expect([200, 503]).toContain(answer.status);
    }
    // /healthz never waits on the database more than 2 s, and tells a stall from an outage.
    const health = during.filter((a) => a.body.startsWith('{'));
    for (const h of health) expect(h.ms).toBeLessThan(3000);
    expect(health.some((h) => (JSON.parse(h.body) as { database: string }).database === 'slow')).toBe(true);
    await until('serving after the stall', serving);
  }, 90000);

  it('tells operators what happened: metrics on a loopback port of their own, a request id on every log line', async () => {
    await until('serving', serving);
    const publicly = await timedGet('/metrics'); // never on the public port (a page like any other)
    expect(publicly.status).not.toBe(200);
    expect(publicly.body).not.toContain('census_');
    const answer = await timedGet('/login');
    const { status, body } = await timedGet('/metrics', metricsPort);
    expect(status).toBe(200);
    for (const name of [
      'census_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/login",status="200"}',
      'census_db_pool_connections{pool="app",state="waiting"}',
      'census_db_pool_connections{pool="session",state="used"}',
      'nodejs_eventloop_lag_seconds',
      'census_database_unavailable_total',
    ])
      expect(body).toContain(name);
    const requestId = answer.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.output()).toContain(`"reqId":"${requestId}"`);
  }, 30000);

  it('exits 1 at once with a Chinese message when its port is in use', async () => {
    const second = runScript('src/server.ts', [], env());
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`端口 ${port} 已被占用`);
    expect(alive(server.pid)).toBe(true);
  }, 60000);
});

describeWithClusters('starting and stopping processes in any order', () => {
  beforeAll(async () => {
    cluster = TestCluster.create(`census_starts_${process.pid}`, await freePort());
  }, 60000);
  afterAll(() => cluster?.drop(), 60000);

  it('brings up two processes started at once on an empty database', async () => {
    cluster.psql('CREATE DATABASE census_starts');
    const ports = [await freePort(), await freePort()];
    const url = cluster.url('census_starts');
    const both = await Promise.all(
      ports.map((p) => startServer('src/server.ts', env({ DATABASE_URL: url, PORT: String(p) }))),
    );
    try {
      for (const p of ports) expect((await timedGet('/login', p)).status).toBe(200);
      expect(
        Number(cluster.psql("SELECT count(*) FROM users WHERE username = 'admin'", 'census_starts')),
      ).toBe(1);
    } finally {
      await Promise.all(both.map((s) => s.stop()));
    }
  }, 180000);

  it('leaves nothing on the port within 10 s of a SIGTERM to `npm start`, whatever its clients do', async () => {
    cluster.psql('CREATE DATABASE census_npm_start');
    const p = await freePort();
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: env({ DATABASE_URL: cluster.url('census_npm_start'), PORT: String(p) }),
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    await until(`npm start serving:\n${output}`, async () => output.includes('已启动'), 120000);
    expect((await timedGet('/login', p)).status).toBe(200);
    // A slow client (headers never finished) and an idle keep-alive connection do not hold it.
    const slow = net.connect(p, '127.0.0.1', () => slow.write('GET /login HTTP/1.1\r\nHost: x\r\n'));
    const keepAlive = new http.Agent({ keepAlive: true });
    await new Promise((resolve) =>
      http.get({ port: p, path: '/healthz', agent: keepAlive }, (r) => r.resume().on('end', resolve)),
    );
    slow.on('error', () => undefined);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const started = Date.now();
    await until('the port free', async () => (await timedGet('/login', p)).status === 0, 10000);
    expect(Date.now() - started).toBeLessThan(10000);
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10000);
    slow.destroy();
    keepAlive.destroy();
  }, 180000);
});
