import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, httpGet, productionEnv, ROOT, runScript, startServer } from '../support/serverProcess';

// `npm run build` and `NODE_ENV=production node dist/server.js`: compiled JavaScript only — the
// migrations and seeds too — with views and static files found from dist/. A database migrated
// from dist/ is up to date for the TypeScript sources as well (knex records the same names).
let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'census-dist-'));
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
    },
  );
}, 120000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the compiled build', () => {
  it('migrates, seeds and serves pages and static files from dist/', async () => {
    const port = await freePort();
    const server = await startServer(
      'dist/server.js',
      productionEnv({ DATA_DIR: dataDir, PORT: String(port) }),
    );
    try {
      expect(server.output()).toContain('已导入行政区划 3214 个、安监部门 3228 个');
      const login = await httpGet(port, '/login');
      expect(login.status).toBe(200);
      expect(login.body).toContain('非煤矿山安全生产基本情况普查系统');
      expect((await httpGet(port, '/public/css/app.css')).status).toBe(200);
    } finally {
      await server.stop();
    }
    const env = productionEnv({ DATA_DIR: dataDir });
    const compiled = runScript('dist/src/cli/migrate.js', [], env);
    const source = runScript('src/cli/migrate.ts', [], env);
    expect(compiled.stderr).toBe('');
    expect(source.stderr).toBe('');
    expect(source.stdout).toBe(compiled.stdout); // 数据库结构已是最新（版本 …）
    expect(compiled.stdout).toMatch(/已是最新（版本 \d{14}）/);
  }, 120000);
});
