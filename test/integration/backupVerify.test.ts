import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/app';
import { runScript } from '../support/serverProcess';
import { fileThrough } from '../support/filings';
import { createPools } from '../../src/db/pools';
import { withDatabase } from '../../src/cli/backupVerify';

// The restore drill on a real dump: pg_dump of the test database, then `npm run backup:verify`
// restores it into a temporary database, checks the history chains and drops it again.
// It needs a PostgreSQL server (not the embedded PGlite of a plain `npx jest`) and pg_dump;
// CI has both, so there a missing pg_dump is an error, not a skip.
const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0;
if (!hasPgDump && process.env.CI) throw new Error('pg_dump is required for the backup test in CI');
const onServer = process.env.DATABASE_EMBEDDED !== 'true';
const describeOnServer = hasPgDump && onServer ? describe : describe.skip;

function backupVerify(dump: string) {
  return runScript('src/cli/backupVerify.ts', [dump], { ...process.env, NODE_ENV: 'test' });
}

// A dump, a restore and a check of every chain as separate processes: a budget beyond jest's 30 s
// default for a loaded machine (not a timing assertion).
const RESTORE_BUDGET_MS = 120_000;

describeOnServer('npm run backup:verify', () => {
  const url = process.env.DATABASE_URL!;
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-'));
    // Some history to check: a system submitted and approved by its county.
    await fileThrough(t, 'pending@city', { category: 'tailings' });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function restoreCheckDatabases(): Promise<string[]> {
    const rows = await t
      .knex('pg_database')
      .where('datname', 'like', 'census_restore_check_%')
      .pluck('datname');
    return rows as string[];
  }

  it(
    'restores a real dump into a temporary database, finds every chain intact and drops it',
    async () => {
      const dump = path.join(dir, 'census.dump');
      execFileSync('pg_dump', ['-Fc', '--file', dump, url]);
      const before = await restoreCheckDatabases();
      const result = backupVerify(dump);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('已校验 1 个生产系统的 2 条操作历史。');
      expect(result.stdout).toContain('生产系统 1 个');
      expect(result.stdout).toContain('恢复演练通过');
      expect(await restoreCheckDatabases()).toEqual(before);
    },
    RESTORE_BUDGET_MS,
  );

  it(
    'names the altered row of a dump whose history was changed behind the database',
    async () => {
      // A copy of the test database with one approval comment rewritten (triggers off), dumped.
      const name = `census_tampered_${process.pid}`;
      const dump = path.join(dir, 'tampered.dump');
      const clean = path.join(dir, 'clean.dump');
      execFileSync('pg_dump', ['-Fc', '--file', clean, url]);
      await t.knex.raw('CREATE DATABASE ??', [name]);
      const copy = createPools(withDatabase(url, name), false);
      try {
        execFileSync('pg_restore', ['--no-owner', '--dbname', withDatabase(url, name), clean]);
        await copy.knex.raw('ALTER TABLE history DISABLE TRIGGER USER');
        const row = await copy.knex('history').where({ action: 'approve' }).first('id');
        await copy.knex('history').where({ id: row.id }).update({ note: '改过的意见' });
        execFileSync('pg_dump', ['-Fc', '--file', dump, withDatabase(url, name)]);
        const result = backupVerify(dump);
        expect(result.status).toBe(2);
        expect(result.stdout).toContain(`损坏：history.id=${row.id}`);
        expect(result.stdout).toContain('发现 1 条损坏的历史链。');
      } finally {
        await copy.close();
        await t.knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      }
    },
    RESTORE_BUDGET_MS,
  );

  it('says so when the file is not a dump', () => {
    const bogus = path.join(dir, 'not-a-dump');
    fs.writeFileSync(bogus, 'hello');
    const result = backupVerify(bogus);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('无法恢复');
  });
});
