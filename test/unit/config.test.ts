import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConfigError, loadConfig, parseTrustProxy } from '../../src/config';

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

describe('production fails fast', () => {
  const SECRET = 'x'.repeat(32);
  const TOTP_KEY = 'ab'.repeat(32);
  const production = (env: Record<string, string> = {}) =>
    loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: SECRET,
      TOTP_KEY: TOTP_KEY,
      DATABASE_URL: 'postgres://h/db',
      ...env,
    });

  it('starts with a session secret of at least 32 characters, and no demo data', () => {
    const config = production();
    expect(config.env).toBe('production');
    expect(config.seedDemo).toBe(false);
    expect(production({ DATABASE_URL: '' }).seedDemo).toBe(false); // not on the embedded database either
  });

  it('refuses a missing or short session secret', () => {
    expect(() => production({ SESSION_SECRET: '' })).toThrow(ConfigError);
    expect(() => production({ SESSION_SECRET: 'x'.repeat(31) })).toThrow('SESSION_SECRET');
  });

  it('refuses a missing TOTP_KEY, and a key that is not 32 bytes in hex (anywhere)', () => {
    expect(() => production({ TOTP_KEY: '' })).toThrow('TOTP_KEY');
    expect(() => production({ TOTP_KEY: 'ab'.repeat(31) })).toThrow('TOTP_KEY');
    expect(() => loadConfig({ NODE_ENV: 'development', TOTP_KEY: 'not-hex' })).toThrow('TOTP_KEY');
    expect(production().totpKey).toEqual(Buffer.from(TOTP_KEY, 'hex'));
  });

  it('uses a derived, non-production key outside production when TOTP_KEY is unset', () => {
    const dev = loadConfig({ NODE_ENV: 'development' });
    expect(dev.totpKey).toHaveLength(32);
    expect(loadConfig({ NODE_ENV: 'test' }).totpKey).toEqual(dev.totpKey);
  });

  it('refuses the fixed captcha and a weak bcrypt cost', () => {
    expect(() => production({ CAPTCHA_FIXED: 'abcd' })).toThrow('CAPTCHA_FIXED');
    expect(() => production({ BCRYPT_COST: '9' })).toThrow('BCRYPT_COST');
    expect(production({ BCRYPT_COST: '10' }).bcryptCost).toBe(10);
  });

  it('refuses SEED_DEMO=true, saying why', () => {
    expect(() => production({ SEED_DEMO: 'true' })).toThrow(
      /SEED_DEMO=true is refused in production.*published password/,
    );
    expect(production({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('refuses a malformed number', () => {
    expect(() => production({ PORT: 'eighty' })).toThrow('PORT must be a non-negative integer');
  });
});

describe('demo data outside production', () => {
  it('is loaded by default on the embedded database only, otherwise only when asked for', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://h/db' }).seedDemo).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://h/db', SEED_DEMO: 'true' }).seedDemo,
    ).toBe(true);
  });
});

describe('TRUST_PROXY and SECURE_COOKIES', () => {
  it('trusts no proxy unless told, and refuses to trust every sender', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
    expect(parseTrustProxy('10.0.0.5, 10.1.0.0/16')).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(() => parseTrustProxy('true')).toThrow(ConfigError);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(ConfigError);
    expect(() => parseTrustProxy('proxy.example')).toThrow(ConfigError);
  });

  it('marks cookies Secure by default in production only, and lets an HTTP intranet turn it off', () => {
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(32),
      TOTP_KEY: 'ab'.repeat(32),
      DATABASE_URL: 'postgres://h/db',
    };
    expect(loadConfig(production).secureCookies).toBe(true);
    expect(loadConfig({ ...production, SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).secureCookies).toBe(false);
  });
});

describe('a read replica', () => {
  it('is read from DATABASE_REPLICA_URL beside DATABASE_URL, and refused on the embedded database', () => {
    const both = loadConfig({
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://primary/db',
      DATABASE_REPLICA_URL: 'postgres://replica/db',
    });
    expect(both.databaseReplicaUrl).toBe('postgres://replica/db');
    expect(loadConfig({ NODE_ENV: 'development' }).databaseReplicaUrl).toBeNull();
    expect(() =>
      loadConfig({ NODE_ENV: 'development', DATABASE_REPLICA_URL: 'postgres://replica/db' }),
    ).toThrow(/DATABASE_REPLICA_URL needs DATABASE_URL/);
  });
});

describe('WEB_CONCURRENCY', () => {
  it('is one process by default, N with DATABASE_URL, and refused above 1 on the embedded database', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).webConcurrency).toBe(1);
    expect(
      loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://h/db', WEB_CONCURRENCY: '2' })
        .webConcurrency,
    ).toBe(2);
    expect(() => loadConfig({ NODE_ENV: 'development', WEB_CONCURRENCY: '2' })).toThrow(
      /WEB_CONCURRENCY above 1 needs DATABASE_URL/,
    );
    expect(() => loadConfig({ NODE_ENV: 'development', WEB_CONCURRENCY: '0' })).toThrow(/WEB_CONCURRENCY/);
  });
});
