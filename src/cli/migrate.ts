import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { runCli } from './runCli';

// openDatabase migrates to the latest schema; this command does only that.
async function main(): Promise<void> {
  const db = await openDatabase(loadConfig(), { command: 'migrate' });
  const version = await db.knex.migrate.currentVersion();
  console.log(`数据库结构已是最新（版本 ${version}）。`);
  await db.close();
}

runCli(main);
