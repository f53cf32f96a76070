import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { passwordHasher } from '../services/passwords';
import {
  accountIssuanceService,
  issuedCsv,
  ISSUED_ADMIN_COLUMNS,
  ISSUED_COLUMNS,
  type IssuedAccount,
  type IssuedAdmin,
} from '../services/accountIssuance';
import { AGENCY_LEVELS, type AgencyLevel } from '../domain/orgTree';
import { cliOperator, runCli } from './runCli';

const USAGE =
  'npm run accounts:issue -- --out FILE [--level national|province|city|county|offshore] [--region CODE] | --admins --out FILE';
export interface IssueOptions {
  out: string;
  level?: AgencyLevel;
  region?: string;
  /** The three administrators (系统管理员, 安全管理员, 审计管理员) instead of regulators. */
  admins?: boolean;
}

export function parseIssueArgs(argv: string[]): IssueOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      level: { type: 'string' },
      region: { type: 'string' },
      admins: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.out) throw new Error(`缺少 --out 参数。用法：${USAGE}`);
  if (values.level && !(AGENCY_LEVELS as readonly string[]).includes(values.level))
    throw new Error(`--level 应为 ${AGENCY_LEVELS.join('|')} 之一`);
  if (values.admins && (values.level || values.region))
    throw new Error(`--admins 不能与 --level、--region 同时使用。用法：${USAGE}`);
  if (values.admins) return { out: values.out, admins: true };
  return { out: values.out, level: values.level as AgencyLevel | undefined, region: values.region };
}

/** Issues the accounts and writes the CSV (passwords go to the file only, never to the log). */
export async function issueAccounts(
  knex: Knex,
  bcryptCost: number,
  options: IssueOptions,
): Promise<IssuedAccount[]> {
  const issued = await accountIssuanceService(knex, passwordHasher(bcryptCost)).issueRegulatorAccounts(
    { level: options.level, regionCode: options.region },
    cliOperator(),
    'cli',
  );
  fs.writeFileSync(options.out, issuedCsv(ISSUED_COLUMNS, issued), { mode: 0o600 });
  return issued;
}

/** `--admins`: the administrators not issued yet, to the CSV. */
export async function issueAdminAccounts(
  knex: Knex,
  bcryptCost: number,
  out: string,
): Promise<IssuedAdmin[]> {
  const issued = await accountIssuanceService(knex, passwordHasher(bcryptCost)).issueAdmins(cliOperator());
  fs.writeFileSync(out, issuedCsv(ISSUED_ADMIN_COLUMNS, issued), { mode: 0o600 });
  return issued;
}

async function main(): Promise<void> {
  const options = parseIssueArgs(process.argv.slice(2));
  const config = loadConfig();
  const db = await openDatabase(config, { command: 'accounts:issue' });
  try {
    if (options.admins) {
      const admins = await issueAdminAccounts(db.knex, config.bcryptCost, options.out);
      console.log(
        `已签发管理员账号 ${admins.length} 个，初始密码已写入 ${options.out}（已有账号的管理员角色已跳过）。`,
      );
      return;
    }
    const issued = await issueAccounts(db.knex, config.bcryptCost, options);
    console.log(
      `已为 ${issued.length} 个单位签发账号，初始密码已写入 ${options.out}（已有账号的单位已跳过）。`,
    );
  } finally {
    await db.close();
  }
}

if (require.main === module) runCli(main);
