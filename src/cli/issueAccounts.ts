import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { passwordHasher } from '../services/passwords';
import { accountIssuanceService, type IssuedAccount } from '../services/accountIssuance';
import { AGENCY_LEVELS, type AgencyLevel } from '../domain/orgTree';
import { runCli } from './runCli';

const USAGE =
  'npm run accounts:issue -- --out FILE [--level national|province|city|county|offshore] [--region CODE]';
const COLUMNS: (keyof IssuedAccount)[] = [
  'agency_code',
  'agency_name',
  'level',
  'username',
  'initial_password',
];

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(rows: IssuedAccount[]): string {
  // A byte-order mark so that Excel opens the Chinese names correctly.
  return (
    '\uFEFF' +
    [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(String(r[c]))).join(','))].join(
      '\r\n',
    ) +
    '\r\n'
  );
}

export interface IssueOptions {
  out: string;
  level?: AgencyLevel;
  region?: string;
}

export function parseIssueArgs(argv: string[]): IssueOptions {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, level: { type: 'string' }, region: { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw new Error(`缺少 --out 参数。用法：${USAGE}`);
  if (values.level && !(AGENCY_LEVELS as readonly string[]).includes(values.level))
    throw new Error(`--level 应为 ${AGENCY_LEVELS.join('|')} 之一`);
  return { out: values.out, level: values.level as AgencyLevel | undefined, region: values.region };
}

/** Issues the accounts and writes the CSV (passwords go to the file only, never to the log). */
export async function issueAccounts(
  knex: Knex,
  bcryptCost: number,
  options: IssueOptions,
): Promise<IssuedAccount[]> {
  const issued = await accountIssuanceService(knex, passwordHasher(bcryptCost)).issueRegulatorAccounts({
    level: options.level,
    regionCode: options.region,
  });
  fs.writeFileSync(options.out, toCsv(issued), { mode: 0o600 });
  return issued;
}

async function main(): Promise<void> {
  const options = parseIssueArgs(process.argv.slice(2));
  const config = loadConfig();
  const db = await openDatabase(config, { command: 'accounts:issue' });
  try {
    const issued = await issueAccounts(db.knex, config.bcryptCost, options);
    console.log(
      `已为 ${issued.length} 个单位签发账号，初始密码已写入 ${options.out}（已有账号的单位已跳过）。`,
    );
  } finally {
    await db.close();
  }
}

if (require.main === module) runCli(main);
