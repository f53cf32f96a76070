import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { auditArchiveProblem, auditChainBreak, type AuditBreak } from '../domain/audit';
import { auditRepo } from '../data/audit';
import { runCli } from './runCli';

const PAGE = 5000;

/**
 * Walks the audit chain from the last archive's head (or the beginning) in seq order; returns
 * the first broken row, if any. Keyset pages keep memory flat however long the log grows.
 */
export async function verifyAuditChain(knex: Knex): Promise<{ rows: number; broken: AuditBreak | null }> {
  const repo = auditRepo(knex);
  let start = await repo.archivedHead();
  let rows = 0;
  for (;;) {
    const page = await repo.pageAfter(start.seq, PAGE);
    if (!page.length) return { rows, broken: null };
    const broken = auditChainBreak(page, start);
    if (broken) return { rows: rows + page.findIndex((r) => r.id === broken.id), broken };
    rows += page.length;
    const last = page[page.length - 1];
    start = { seq: last.seq, hash: last.hash };
  }
}

const PROBLEMS = {
  hash: '内容与哈希不符（被改动）',
  link: '与上一条记录的哈希链接断开',
  sequence: '序号不连续（有记录缺失）',
};

/** Checks the chain and prints the report; true when it is intact. */
export async function reportAudit(knex: Knex): Promise<boolean> {
  const { rows, broken } = await verifyAuditChain(knex);
  if (broken) {
    console.log(`已校验 ${rows} 条安全审计记录，其后发现损坏：`);
    console.log(`  audit_log.id=${broken.id}（第 ${broken.seq} 条）：${PROBLEMS[broken.problem]}`);
    return false;
  }
  console.log(`已校验 ${rows} 条安全审计记录，审计链完整。`);
  return true;
}

/** `--file`: an archive file (audit:archive) verified on its own; true when intact. */
export function reportArchiveFile(file: string): boolean {
  const problem = auditArchiveProblem(fs.readFileSync(file, 'utf8').split('\n'));
  console.log(problem ? `归档文件 ${file} 校验失败：${problem}` : `归档文件 ${file} 校验通过，审计链完整。`);
  return problem === null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { file: { type: 'string' } } });
  if (values.file) {
    if (!reportArchiveFile(values.file)) process.exitCode = 2;
    return;
  }
  const db = await openDatabase(loadConfig(), { command: 'verify:audit' });
  try {
    if (!(await reportAudit(db.knex))) process.exitCode = 2;
  } finally {
    await db.close();
  }
}

if (require.main === module) runCli(main);
