import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { chinaDay, chinaDayStart } from '../domain/campaign';
import {
  AUDIT_ARCHIVE_FORMAT,
  AUDIT_RETENTION_DAYS,
  archiveLine,
  auditChainBreak,
  latestArchiveCutoff,
  type AuditActor,
  type AuditArchiveHeader,
} from '../domain/audit';
import { auditRepo, recordAudit } from '../data/audit';
import { cliOperator, runCli } from './runCli';

const USAGE = 'npm run audit:archive -- --before YYYY-MM-DD --out FILE';
const PAGE = 5000;
const RESTRICT_VIOLATION = '23001';

export interface ArchiveOptions {
  /** Rows older than this go (the China day's start of the date given). */
  before: Date;
  out: string;
}

export function parseArchiveArgs(argv: string[]): ArchiveOptions {
  const { values } = parseArgs({
    args: argv,
    options: { before: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  if (!values.before || !values.out) throw new Error(`缺少 --before 或 --out 参数。用法：${USAGE}`);
  const before = /^\d{4}-\d{2}-\d{2}$/.test(values.before) ? chinaDayStart(values.before) : new Date(NaN);
  if (Number.isNaN(before.getTime()) || chinaDay(before) !== values.before)
    throw new Error(`--before 应为日期 YYYY-MM-DD（如 2026-01-01），而不是 ${values.before}`);
  return { before, out: values.out };
}

/** Nothing younger than 180 days at `now` may go (网络安全法 §21): a Chinese refusal otherwise. */
export function refuseYoung(before: Date, now: Date): void {
  const cutoff = latestArchiveCutoff(now);
  if (before.getTime() > cutoff.getTime())
    throw new Error(
      `安全审计记录须保留至少 ${AUDIT_RETENTION_DAYS} 天（网络安全法第二十一条）：--before 不得晚于 ${chinaDay(cutoff)}，未归档任何记录。`,
    );
}

export interface ArchiveResult {
  rows: number;
  header?: AuditArchiveHeader;
  file?: string;
  sha256?: string;
}

/**
 * Moves the audit rows older than `before` to a file of JSON lines with its own chain head
 * (domain/audit.ts AUDIT_ARCHIVE_FORMAT), then deletes them and records the archive (its head,
 * where the table's chain continues from) and an audit.archive event in one transaction.
 * Refuses a `before` younger than 180 days by `now`; the database refuses by its own clock.
 * The file is written first, outside the chain's lock (archived rows never change); it takes
 * its name only once the deletion has committed.
 */
export async function archiveAudit(
  knex: Knex,
  options: ArchiveOptions,
  actor: AuditActor,
  now: Date = new Date(),
): Promise<ArchiveResult> {
  refuseYoung(options.before, now);
  const out = path.resolve(options.out);
  if (fs.existsSync(out)) throw new Error(`文件 ${out} 已存在，未归档：请指定新的文件`);
  const repo = auditRepo(knex);
  const start = await repo.archivedHead();
  const firstKept = await repo.firstSeqFrom(options.before);
  const lastSeq = firstKept !== null ? firstKept - 1 : start.seq + (await repo.count({}));
  if (lastSeq <= start.seq) return { rows: 0 };
  const [last] = await repo.pageAfter(lastSeq - 1, 1);
  if (!last || last.seq !== lastSeq)
    throw new Error(`审计链在第 ${lastSeq} 条处缺失记录，未归档：请先运行 npm run verify:audit`);
  const header: AuditArchiveHeader = {
    format: AUDIT_ARCHIVE_FORMAT,
    before: options.before.toISOString(),
    start,
    first_seq: start.seq + 1,
    last_seq: lastSeq,
    last_hash: last.hash,
    row_count: lastSeq - start.seq,
  };

  const partial = `${out}.partial`;
  const fd = fs.openSync(partial, 'wx', 0o600);
  const sha = crypto.createHash('sha256');
  const write = (line: string) => {
    const text = `${line}\n`;
    sha.update(text, 'utf8');
    fs.writeSync(fd, text);
  };
  try {
    try {
      write(JSON.stringify(header));
      let head = start;
      while (head.seq < lastSeq) {
        const page = (await repo.pageAfter(head.seq, PAGE)).filter((r) => r.seq <= lastSeq);
        const broken = page.length ? auditChainBreak(page, head) : { seq: head.seq + 1 };
        if (broken)
          throw new Error(`审计链在第 ${broken.seq} 条处损坏，未归档：请先运行 npm run verify:audit`);
        for (const row of page) write(archiveLine(row));
        const end = page[page.length - 1];
        head = { seq: end.seq, hash: end.hash };
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const sha256 = sha.digest('hex');
    await knex.transaction(async (trx) => {
      const tx = auditRepo(trx);
      await tx.lockChain();
      const now = await tx.archivedHead();
      if (now.seq !== start.seq) throw new Error('另一次归档同时进行，本次未归档');
      const removed = await tx.removeArchived({
        before: options.before,
        first_seq: header.first_seq,
        last_seq: lastSeq,
        last_hash: header.last_hash,
        row_count: header.row_count,
        file: out,
        file_sha256: sha256,
      });
      if (removed !== header.row_count)
        throw new Error(`应删除 ${header.row_count} 条，实际 ${removed} 条，未归档`);
      await recordAudit(trx, {
        ...actor,
        type: 'audit.archive',
        object: path.basename(out),
        result: 'success',
        detail: { ...header, file: out, file_sha256: sha256 },
      });
    });
    fs.renameSync(partial, out);
    return { rows: header.row_count, header, file: out, sha256 };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    if ((err as { code?: string }).code === RESTRICT_VIOLATION)
      throw new Error(
        `数据库拒绝删除：其中有不满 ${AUDIT_RETENTION_DAYS} 天的记录（按数据库时钟），未归档任何记录。`,
        { cause: err },
      );
    throw err;
  }
}

async function main(): Promise<void> {
  const options = parseArchiveArgs(process.argv.slice(2));
  refuseYoung(options.before, new Date()); // before the database is even opened
  const db = await openDatabase(loadConfig(), { command: 'audit:archive' });
  try {
    const result = await archiveAudit(db.knex, options, cliOperator());
    if (!result.header) {
      console.log(`没有早于 ${chinaDay(options.before)} 的安全审计记录，未归档。`);
      return;
    }
    const { first_seq, last_seq } = result.header;
    console.log(
      `已归档第 ${first_seq}–${last_seq} 条（共 ${result.rows} 条）安全审计记录到 ${result.file}（sha256 ${result.sha256}），并已从数据库删除。\n` +
        `校验归档文件：npm run verify:audit -- --file ${result.file}`,
    );
  } finally {
    await db.close();
  }
}

if (require.main === module) runCli(main);
