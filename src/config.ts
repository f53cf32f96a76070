import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// The only reader of process.env. Defaults suit development; production fails fast.
export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  databaseUrl: string | null; // null: embedded PostgreSQL (PGlite) in dataDir
  // The server behind databaseUrl is PGlite (tests start one per run): every pool gets one connection.
  embeddedDatabase: boolean;
  dataDir: string;
  sessionSecret: string;
  /** The AES-256 key (32 bytes) the TOTP secrets are encrypted with (TOTP_KEY; see parseTotpKey). */
  totpKey: Buffer;
  sessionIdleMinutes: number;
  secureCookies: boolean;
  captchaFixed: string | null;
  bcryptCost: number;
  /** Login throttling (see data/loginLimits.ts and the README's Accounts section). */
  login: {
    maxFailures: number;
    lockMinutes: number;
    addressDailyFailures: number;
    captchaFailures: number;
    captchaWindowMinutes: number;
  };
  /** Express's `trust proxy`: which proxies' X-Forwarded-For is believed (false: none). */
  trustProxy: TrustProxy;
  adminPassword: string | null;
  seedDemo: boolean;
  logLevel: string;
  viewCache: boolean;
  /** How long 统计分析's aggregates may be reused (0: always fresh). */
  statsCacheSeconds: number;
  /** Bounded database waits (ms): a pool connection (acquire/connect), one statement. */
  databaseAcquireMs: number;
  databaseStatementMs: number;
  /** HTTP server limits (ms; connections): see README, Deploying. */
  httpHeadersTimeoutMs: number;
  /** Prometheus metrics on 127.0.0.1:METRICS_PORT (unset: none). Never the public port. */
  metricsPort: number | null;
  httpRequestTimeoutMs: number;
  httpMaxConnections: number;
  /** How long a shutdown lets in-flight requests finish before closing their connections. */
  shutdownGraceMs: number;
  /** How often the reminder job (站内通知, enterprise reminders) runs; once per interval across processes. */
  reminderIntervalMs: number;
  /** A streaming replica for the read pages (已入库, 信息追踪, 统计分析 and their exports); null: none. */
  databaseReplicaUrl: string | null;
  /** How often the replica's position is compared with the primary's (ms). */
  replicaCheckMs: number;
  /** A read page says so when the replica lags by more than this (seconds). */
  replicaLagNoticeSeconds: number;
  /** Server processes on the one port (node:cluster); 1: this process serves. */
  webConcurrency: number;
}

export class ConfigError extends Error {}

/** A hop count, or addresses / CIDR ranges / Express's names for ranges; false trusts no proxy. */
export type TrustProxy = false | number | string[];

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (TRUST_PROXY_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: unset (the app faces clients directly) trusts no X-Forwarded-For. `true` (trust
 * any sender) is refused: every client could then choose the address it is counted under.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value) || false;
  if (value === 'true')
    throw new ConfigError(
      'TRUST_PROXY=true would believe any client; give the proxy addresses or a hop count',
    );
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isAddressOrRange(e));
  if (bad !== undefined)
    throw new ConfigError(
      `TRUST_PROXY: "${bad}" is not an address, a CIDR range, loopback, linklocal or uniquelocal`,
    );
  return entries;
}

/**
 * Outside production without TOTP_KEY: a fixed key derived from a public string, so that a
 * try-out works. It protects nothing; production refuses to start without TOTP_KEY.
 */
const DEV_TOTP_KEY = crypto.createHash('sha256').update('dev-only-totp-key-not-for-production').digest();

/**
 * TOTP_KEY: 64 hexadecimal characters, i.e. 32 random bytes (`openssl rand -hex 32`). Anything
 * else is refused, so a truncated or mistyped key never silently becomes another key.
 */
export function parseTotpKey(raw: string | undefined): Buffer | null {
  const value = (raw ?? '').trim();
  if (value === '') return null;
  if (!/^[0-9a-fA-F]{64}$/.test(value))
    throw new ConfigError('TOTP_KEY must be 64 hexadecimal characters (32 bytes): openssl rand -hex 32');
  return Buffer.from(value, 'hex');
}

let dotEnvRead = false;

/**
 * The environment, filled in once from a `.env` file in the working directory when there is one
 * (see .env.example). What the environment itself sets wins over the file; tests never read it.
 */
export function environment(cwd = process.cwd()): NodeJS.ProcessEnv {
  if (!dotEnvRead) {
    dotEnvRead = true;
    const file = path.join(cwd, '.env');
    if (process.env.NODE_ENV !== 'test' && fs.existsSync(file)) process.loadEnvFile(file);
  }
  return process.env;
}

/**
 * The demo data (accounts with a published password) is loaded by default only on the embedded
 * database, i.e. a local try-out; a real server gets it only when SEED_DEMO=true is set
 * explicitly; production never (SEED_DEMO=true there is refused below).
 */
function seedDemoDefault(env: NodeJS.ProcessEnv, production: boolean): boolean {
  if (production) return false;
  if (env.DATABASE_URL) return env.SEED_DEMO === 'true';
  return env.SEED_DEMO !== 'false';
}

export function loadConfig(env: NodeJS.ProcessEnv = environment()): Config {
  const nodeEnv =
    env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const production = nodeEnv === 'production';
  const int = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer`);
    return n;
  };
  const positive = (name: string, fallback: number): number => {
    const n = int(name, fallback);
    if (n < 1) throw new ConfigError(`${name} must be at least 1`);
    return n;
  };
  const config: Config = {
    env: nodeEnv,
    port: int('PORT', 3000),
    databaseUrl: env.DATABASE_URL || null,
    embeddedDatabase: !env.DATABASE_URL || env.DATABASE_EMBEDDED === 'true',
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    sessionSecret: env.SESSION_SECRET || 'dev-only-session-secret-change-me',
    totpKey: parseTotpKey(env.TOTP_KEY) ?? DEV_TOTP_KEY,
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 30),
    // Behind TLS by default in production; a plain-HTTP intranet sets SECURE_COOKIES=false.
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === 'true' : production,
    captchaFixed: env.CAPTCHA_FIXED || null,
    bcryptCost: int('BCRYPT_COST', nodeEnv === 'test' ? 4 : 10),
    login: {
      maxFailures: positive('LOGIN_MAX_FAILURES', 5),
      lockMinutes: positive('LOGIN_LOCK_MINUTES', 15),
      addressDailyFailures: positive('LOGIN_ADDRESS_DAILY_FAILURES', 100),
      captchaFailures: positive('LOGIN_CAPTCHA_FAILURES', 100),
      captchaWindowMinutes: positive('LOGIN_CAPTCHA_WINDOW_MINUTES', 10),
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    adminPassword: env.ADMIN_PASSWORD || null,
    seedDemo: seedDemoDefault(env, production),
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    viewCache: env.VIEW_CACHE !== 'false',
    statsCacheSeconds: int('STATS_CACHE_SECONDS', nodeEnv === 'test' ? 0 : 60),
    databaseAcquireMs: int('DATABASE_ACQUIRE_TIMEOUT_MS', 5000),
    databaseStatementMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 15000),
    httpHeadersTimeoutMs: int('HTTP_HEADERS_TIMEOUT_MS', 10000),
    httpRequestTimeoutMs: int('HTTP_REQUEST_TIMEOUT_MS', 60000),
    httpMaxConnections: int('HTTP_MAX_CONNECTIONS', 1000),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 8000),
    reminderIntervalMs: int('REMINDER_INTERVAL_SECONDS', 600) * 1000,
    metricsPort: env.METRICS_PORT ? positive('METRICS_PORT', 0) : null,
    databaseReplicaUrl: env.DATABASE_REPLICA_URL || null,
    replicaCheckMs: positive('REPLICA_CHECK_MS', 1000),
    replicaLagNoticeSeconds: int('REPLICA_LAG_NOTICE_SECONDS', 5),
    webConcurrency: positive('WEB_CONCURRENCY', 1),
  };
  if (config.webConcurrency > 1 && !config.databaseUrl)
    throw new ConfigError(
      'WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database belongs to one process. Set DATABASE_URL or WEB_CONCURRENCY=1.',
    );
  if (config.databaseReplicaUrl && !config.databaseUrl)
    throw new ConfigError(
      'DATABASE_REPLICA_URL needs DATABASE_URL: the embedded database has no replica. Set DATABASE_URL to the primary.',
    );
  if (production) {
    if (config.captchaFixed)
      throw new ConfigError('CAPTCHA_FIXED is a test-only switch and is refused in production');
    if (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32)
      throw new ConfigError('SESSION_SECRET (at least 32 characters) is required in production');
    if (!env.TOTP_KEY)
      throw new ConfigError(
        'TOTP_KEY (64 hexadecimal characters: openssl rand -hex 32) is required in production: it encrypts the second-factor secrets',
      );
    if (config.bcryptCost < 10) throw new ConfigError('BCRYPT_COST must be at least 10 in production');
    if (env.SEED_DEMO === 'true')
      throw new ConfigError(
        'SEED_DEMO=true is refused in production: the demo accounts share a published password. Unset SEED_DEMO (or set it to false).',
      );
  }
  return config;
}
