import type { Express } from 'express';
import type { Knex } from 'knex';
import { passwordHasher, type PasswordHasher } from '../../src/services/passwords';
import { loadConfig, type Config } from '../../src/config';
import { createApp } from '../../src/app';
import { createServices, type Services } from '../../src/services';
import { testPools, resetData } from './db';
import type { Pools } from '../../src/db/pools';
import type { ReplicaMonitor } from '../../src/db/replica';

export const TEST_CAPTCHA = 'k7m2';

export interface TestApp {
  app: Express;
  services: Services;
  /** The test's own handle on the database (the app's services hold none of their own to hand out). */
  knex: Knex;
  /** Hashes passwords at the test bcrypt cost, for fixtures that write accounts directly. */
  hasher: PasswordHasher;
  /** The services' clock: the one the test passed, or the real one. */
  now: () => Date;
  pools: Pools;
  config: Config;
  close(): Promise<void>;
}

/** A real app on the test database, with a fixed captcha answer and a fresh data set. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { reset?: boolean; pools?: Pools; now?: () => Date; replica?: ReplicaMonitor } = {},
): Promise<TestApp> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    CAPTCHA_FIXED: TEST_CAPTCHA,
    // Every test request comes from one address: only the tests of the address limits set them low.
    LOGIN_ADDRESS_DAILY_FAILURES: '10000',
    LOGIN_CAPTCHA_FAILURES: '10000',
    ...env,
  });
  const pools = options.pools ?? testPools();
  if (options.reset !== false) await resetData(pools);
  const now = options.now ?? (() => new Date());
  const services = createServices(pools.knex, config, now, options.replica);
  const app = createApp({ services, sessionPool: pools.sessionPool });
  return {
    app,
    services,
    knex: pools.knex,
    hasher: passwordHasher(config.bcryptCost),
    now,
    pools,
    config,
    close: () => (options.pools ? Promise.resolve() : pools.close()),
  };
}
