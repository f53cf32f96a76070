import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('configuration', () => {
  it('fills in from a .env file in the working directory, the environment winning', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fkm-env-'));
    fs.writeFileSync(path.join(dir, '.env'), 'PORT=4567\nLOG_LEVEL=warn\n');
    const script = `const { loadConfig } = require(${JSON.stringify(path.join(ROOT, 'src/config.ts'))});
      const c = loadConfig(); console.log(c.port, c.logLevel);`;
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'error' };
    delete env.PORT;
    const out = execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['-e', script], { cwd: dir, env });
    fs.rmSync(dir, { recursive: true });
    // PORT comes from the file; LOG_LEVEL was set in the environment, which wins.
    expect(out.toString().trim()).toBe('4567 error');
  });
});
