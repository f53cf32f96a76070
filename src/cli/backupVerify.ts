import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { loadConfig } from '../config';
import { createPools } from '../db/pools';
import { createDatabase, databaseContents, dropDatabase } from '../data/databases';
import { reportHistory } from './verifyHistory';
import { runCli } from './runCli';

// The restore drill: `npm run backup:verify -- DUMP` restores a custom-format dump
// (pg_dump -Fc) into a fresh, temporary database on the PostgreSQL server at DATABASE_URL,
// checks every system's hash-chained history in it (verify:history), reports what the backup
// holds and drops the temporary database again. Exit code 0: the backup restores and is intact;
// 2: it restores but a history chain is broken; 1: it does not restore.

const USAGE = 'DATABASE_URL=postgres://… npm run backup:verify -- DUMP';
const run = promisify(execFile);

/** The server's URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function summary(url: string): Promise<string> {
  const pools = createPools(url, false);
  try {
    const c = await databaseContents(pools.knex);
    return `备份内容：账号 ${c.users} 个、企业 ${c.enterprises} 家、生产系统 ${c.systems} 个（已入库 ${c.stored} 个）；数据库结构版本 ${c.lastMigration ?? '无'}。`;
  } finally {
    await pools.close();
  }
}

/** Restores, checks and drops; returns whether every history chain is intact. */
export async function verifyBackup(serverUrl: string, dump: string): Promise<boolean> {
  const name = `census_restore_check_${Date.now()}_${process.pid}`;
  const admin = createPools(serverUrl, false);
  await createDatabase(admin.knex, name);
  const url = withDatabase(serverUrl, name);
  try {
    try {
      await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', url, dump]);
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new Error(`备份 ${dump} 无法恢复（pg_restore 失败）：${stderr || (err as Error).message}`, {
        cause: err,
      });
    }
    console.log(`已将 ${dump} 恢复到临时数据库 ${name}。`);
    console.log(await summary(url));
    const pools = createPools(url, false);
    try {
      return await reportHistory(pools.knex);
    } finally {
      await pools.close();
    }
  } finally {
    await dropDatabase(admin.knex, name);
    await admin.close();
    console.log(`已删除临时数据库 ${name}。`);
  }
}

async function main(): Promise<void> {
  const dump = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (!dump) throw new Error(`缺少备份文件参数。用法：${USAGE}`);
  if (!fs.existsSync(dump)) throw new Error(`找不到备份文件 ${dump}`);
  const config = loadConfig();
  if (!config.databaseUrl || config.embeddedDatabase)
    throw new Error(
      `请用 DATABASE_URL 指定一个 PostgreSQL 服务器，备份将恢复到其上的临时数据库。用法：${USAGE}`,
    );
  if (!(await verifyBackup(config.databaseUrl, dump))) process.exitCode = 2;
  else console.log('恢复演练通过：备份可以恢复，历史链完整。');
}

if (require.main === module) runCli(main);
