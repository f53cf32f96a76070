import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/app';
import { runScript } from '../support/serverProcess';
import { recordAudit } from '../../src/data/audit';
import { auditArchiveProblem, cliActor, type AuditRow } from '../../src/domain/audit';
import { archiveAudit, parseArchiveArgs } from '../../src/cli/auditArchive';
import { verifyAuditChain } from '../../src/cli/verifyAudit';

// npm run audit:archive: rows older than the date go to a file that verifies on its own, the
// table's chain continues from the archived head, and nothing younger than 180 days can go —
// not by the command, not by the database (its own clock), not by hand.

const DAY = 86_400_000;
const NOW = new Date();
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const OPERATOR = cliActor('archivist');

let t: TestApp;
let dir: string;
beforeEach(async () => {
  t = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-archive-'));
});
afterEach(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const all = (): Promise<AuditRow[]> => t.knex('audit_log').orderBy('seq');

/** Events at those ages (days), oldest first as the chain grows. */
async function eventsAged(...ages: number[]): Promise<void> {
  for (const age of ages)
    await recordAudit(
      t.knex,
      { type: 'logout', actorId: null, address: `10.0.0.${age % 250}`, result: 'success' },
      { at: daysAgo(age) },
    );
}

const linesOf = (file: string) => fs.readFileSync(file, 'utf8').split('\n');

describe('npm run audit:archive', () => {
  it('moves the rows older than the date to a file that verifies alone; the chain continues from its head', async () => {
    await eventsAged(400, 390, 380, 200, 1, 0);
    const out = path.join(dir, 'first.jsonl');
    const first = await archiveAudit(t.knex, { before: daysAgo(300), out }, OPERATOR, NOW);
    expect(first.rows).toBe(3);
    expect(auditArchiveProblem(linesOf(out))).toBeNull();
    const [header, ...rows] = linesOf(out)
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(header).toMatchObject({ start: { seq: 0, hash: null }, first_seq: 1, last_seq: 3, row_count: 3 });
    expect(rows.map((r: AuditRow) => r.seq)).toEqual([1, 2, 3]);
    expect(header.last_hash).toBe(rows[2].hash);
    // The table keeps the rest and the archive's own event; verify:audit starts from the head.
    const kept = await all();
    expect(kept.map((r) => [r.seq, r.event_type])).toEqual([
      [4, 'logout'],
      [5, 'logout'],
      [6, 'logout'],
      [7, 'audit.archive'],
    ]);
    expect(kept[0].prev_hash).toBe(header.last_hash);
    expect(kept[3]).toMatchObject({
      actor_username: 'cli:archivist',
      object: 'first.jsonl',
      result: 'success',
      detail: { first_seq: 1, last_seq: 3, row_count: 3, file_sha256: first.sha256 },
    });
    expect(await t.knex('audit_archives')).toMatchObject([{ last_seq: 3, last_hash: header.last_hash }]);
    expect(await verifyAuditChain(t.knex)).toEqual({ rows: 4, broken: null });

    // A second archive starts where the first ended; its file verifies alone too.
    const second = path.join(dir, 'second.jsonl');
    expect((await archiveAudit(t.knex, { before: daysAgo(190), out: second }, OPERATOR, NOW)).rows).toBe(1);
    expect(JSON.parse(linesOf(second)[0])).toMatchObject({
      start: { seq: 3, hash: header.last_hash },
      last_seq: 4,
    });
    expect(auditArchiveProblem(linesOf(second))).toBeNull();
    expect(await verifyAuditChain(t.knex)).toEqual({ rows: 4, broken: null });
    // Nothing older left: nothing written.
    const none = path.join(dir, 'none.jsonl');
    expect((await archiveAudit(t.knex, { before: daysAgo(190), out: none }, OPERATOR, NOW)).rows).toBe(0);
    expect(fs.existsSync(none)).toBe(false);
  });

  it('finds a row of an archive file altered afterwards', async () => {
    await eventsAged(400, 390);
    const out = path.join(dir, 'a.jsonl');
    await archiveAudit(t.knex, { before: daysAgo(300), out }, OPERATOR, NOW);
    const lines = linesOf(out);
    lines[1] = lines[1].replace('10.0.0.150', '10.9.9.9');
    expect(auditArchiveProblem(lines)).toBe('第 1 条记录损坏（hash）');
    expect(auditArchiveProblem(linesOf(out).filter((_, i) => i !== 1))).toMatch(/记录数/);
  });

  it('refuses a date younger than 180 days (the clock injected), removing and writing nothing', async () => {
    await eventsAged(400, 10);
    const out = path.join(dir, 'young.jsonl');
    await expect(archiveAudit(t.knex, { before: daysAgo(179), out }, OPERATOR, NOW)).rejects.toThrow(
      /安全审计记录须保留至少 180 天.*--before 不得晚于/,
    );
    // By a clock a year ahead the same date is old enough: the database, by its own clock, still refuses.
    const later = new Date(NOW.getTime() + 365 * DAY);
    await expect(archiveAudit(t.knex, { before: daysAgo(5), out }, OPERATOR, later)).rejects.toThrow(
      '数据库拒绝删除：其中有不满 180 天的记录',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await all()).toHaveLength(2);
    expect(await t.knex('audit_archives')).toEqual([]);
    expect(await verifyAuditChain(t.knex)).toEqual({ rows: 2, broken: null });
  });

  it('exits non-zero with the Chinese refusal from the command line', () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const result = runScript(
      'src/cli/auditArchive.ts',
      ['--before', today, '--out', path.join(dir, 'x.jsonl')],
      process.env,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('安全审计记录须保留至少 180 天');
    expect(() => parseArchiveArgs(['--before', '2026-02-30', '--out', 'x'])).toThrow(
      '--before 应为日期 YYYY-MM-DD',
    );
    expect(() => parseArchiveArgs(['--before', '2026-01-01'])).toThrow('缺少 --before 或 --out 参数');
  });
});

describe('the database, outside the archive', () => {
  it('refuses a row deleted by hand, old or young, and a young one even with the archive setting', async () => {
    await eventsAged(400, 10);
    await expect(t.knex('audit_log').where('seq', 1).del()).rejects.toThrow(/append-only/);
    await expect(
      t.knex.transaction(async (trx) => {
        await trx.raw(`SELECT set_config('census.audit_archive', 'on', true)`);
        await trx('audit_log').where('seq', 2).del();
      }),
    ).rejects.toThrow(/append-only/);
    expect(await all()).toHaveLength(2);
  });
});
