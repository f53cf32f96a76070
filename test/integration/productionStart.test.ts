import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCK_FILE, type LockOwner } from '../../src/db/dataDirLock';
import {
  freePort,
  httpGet,
  productionEnv,
  runScript,
  startServer,
  type ServerProcess,
} from '../support/serverProcess';

// The server as an operator starts it: a separate process, NODE_ENV=production, the embedded
// database in a fresh DATA_DIR (where a development start would load the demo). A crashed
// server's lock is already in the folder. While the server runs, CLI commands on the same folder
// refuse; once it has stopped, `accounts:issue --level national` issues the 总局 account.
let dataDir: string;
let port: number;
let server: ServerProcess;

const env = (extra: Record<string, string> = {}) =>
  productionEnv({ DATA_DIR: dataDir, PORT: String(port), ...extra });
const cli = (script: string, args: string[]) => runScript(`src/cli/${script}`, args, env());

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'census-production-'));
  port = await freePort();
  // The lock of a server that crashed: its process is gone.
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const stale: LockOwner = {
    pid: dead,
    command: 'server',
    address: 'http://localhost:1',
    since: '2026-01-01',
  };
  fs.writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify(stale));
  server = await startServer('src/server.ts', env());
}, 120000);

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a production start on the embedded database', () => {
  it('takes over the lock a crashed server left, naming itself and its address', () => {
    const owner = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as LockOwner;
    expect(owner).toMatchObject({ pid: server.pid, command: 'server', address: `http://localhost:${port}` });
  });

  it('prints no password, and tells the operator how to get the admin one', () => {
    expect(server.output()).not.toMatch(/仅显示这一次|密码均为|Demo2026pass/);
    expect(server.output()).toContain('npm run accounts:reset -- --username admin');
  });

  it('refuses CLI commands on its DATA_DIR, naming itself, and keeps serving', async () => {
    const out = path.join(dataDir, 'accounts.csv');
    for (const [script, args] of [
      ['issueAccounts.ts', ['--out', out, '--region', '110000']],
      ['resetPassword.ts', ['--username', 'admin']],
      ['migrate.ts', []],
    ] as const) {
      const result = cli(script, [...args]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `正被另一进程使用：系统服务器（进程号 ${server.pid}，地址 http://localhost:${port}`,
      );
      expect(result.stderr).toContain('请先停止该进程');
      expect(result.stderr).toContain('DATABASE_URL');
    }
    expect(fs.existsSync(out)).toBe(false); // no CSV of accounts that would never log in
    expect((await httpGet(port, '/login')).status).toBe(200);
  });

  it('refuses a second server on the same DATA_DIR', () => {
    const second = runScript('src/server.ts', [], env({ PORT: '0' }));
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`进程号 ${server.pid}`);
  });

  it('has no demo account, and once stopped, accounts:issue --level national issues the 总局 account', async () => {
    await server.stop();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false); // released on a clean stop
    const out = path.join(dataDir, 'national.csv');
    const result = cli('issueAccounts.ts', ['--out', out, '--level', 'national']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('已为 1 个单位签发账号');
    const rows = fs.readFileSync(out, 'utf8').trim().split(/\r\n/);
    expect(rows[1]).toMatch(/^000000,国家安全生产监督管理总局,national,aj000000,\S{8,}$/);
    // The other commands have the folder again too.
    expect(cli('verifyHistory.ts', []).stdout).toContain('已校验 0 个生产系统');
    // Every account in the database: the admin and the one just issued; no demo account.
    const listing = path.join(dataDir, 'users.ts');
    fs.writeFileSync(
      listing,
      `import { loadConfig } from '${path.resolve(__dirname, '../../src/config')}';
       import { openDatabase } from '${path.resolve(__dirname, '../../src/db/database')}';
       (async () => { const db = await openDatabase(loadConfig(), { command: 'test' });
         console.log(JSON.stringify(await db.knex('users').orderBy('username').select('username', 'is_demo')));
         await db.close(); })();`,
    );
    expect(JSON.parse(runScript(listing, [], env()).stdout)).toEqual([
      { username: 'admin', is_demo: false },
      { username: 'aj000000', is_demo: false },
    ]);
  });
});

describe('a production start with SEED_DEMO=true', () => {
  it('refuses at once, saying why', () => {
    const result = runScript('src/server.ts', [], env({ SEED_DEMO: 'true', PORT: '0' }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SEED_DEMO=true is refused in production');
  });
});
