import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { passwordHasher } from '../services/passwords';
import { accountIssuanceService } from '../services/accountIssuance';
import { cliOperator, runCli } from './runCli';

const USAGE = 'npm run accounts:reset -- --username NAME [--second-factor]';

// For the national centre's operator: a user who forgot the password gets a new initial one,
// shown here once (on the terminal, never in the log) and changed at the next login. With
// --second-factor, the password stays and the second factor is reset instead (the user enrols
// again at the next login): the way out when the only 系统管理员 has lost phone and recovery codes.
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { username: { type: 'string' }, 'second-factor': { type: 'boolean' } },
  });
  if (!values.username) throw new Error(`缺少 --username 参数。用法：${USAGE}`);
  const config = loadConfig();
  const db = await openDatabase(config, { command: 'accounts:reset' });
  try {
    const accounts = accountIssuanceService(db.knex, passwordHasher(config.bcryptCost));
    if (values['second-factor']) {
      await accounts.resetSecondFactor(values.username, cliOperator());
      console.log(
        `已重置 ${values.username} 的双因素认证：原绑定的身份验证器和恢复码已失效，其已登录的会话均已退出；该用户下次登录时须重新绑定。`,
      );
      return;
    }
    const password = await accounts.resetPassword(values.username, cliOperator());
    console.log(
      `已重置 ${values.username} 的密码。新的初始密码（仅显示这一次）：${password}\n该用户登录后须立即修改密码；其已登录的会话均已退出。`,
    );
  } finally {
    await db.close();
  }
}

runCli(main);
