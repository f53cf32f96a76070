import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import fs from 'node:fs';
import path from 'node:path';
import { markCommitUncertain, noteDatabaseError } from './unavailable';
import { logger } from '../logger';

// Numeric and bigint columns come back as JS numbers (counts, ids and quantities here all fit).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface Pools {
  knex: Knex;
  /** The session store's own pool (connect-pg-simple). */
  sessionPool: pg.Pool;
  close(): Promise<void>;
}

export function poolSizes(embedded: boolean): { knex: number; session: number } {
  // One connection each on PGlite (see db/embedded.ts); ordinary pools on a real server.
  return embedded ? { knex: 1, session: 1 } : { knex: 10, session: 4 };
}

const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

/**
 * The migrations beside this code: the TypeScript sources under tsx and jest, their compiled
 * JavaScript under dist/ (`npm run build`). knex records a migration by its file name, so each
 * is recorded under its source name (`….ts`) either way: a database migrated by one runs
 * unchanged under the other.
 */
export const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    const ext = path.extname(__filename); // .ts or .js, as this module was loaded
    return fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'))
      .sort();
  },
  getMigrationName: (file) => file.replace(/\.js$/, '.ts'),
  getMigration: async (file) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded as the app's own modules (tsx, jest or compiled)
    require(path.join(MIGRATIONS_DIR, file)) as Knex.Migration,
};

export function migrationConfig(): Knex.MigratorConfig {
  return { migrationSource, tableName: 'knex_migrations' };
}

/** Bounded waits for a pool's connections (ms; 0: none). */
export interface PoolTimeouts {
  /** Waiting for a connection: the session pool's connect, knex's acquire. */
  acquireMs: number;
  /** Per statement, set on each connection by the server (`statement_timeout`). */
  statementMs: number;
}

/** CLIs and tests: a bounded acquire, no statement limit (bulk loads and restores run long). */
export const DEFAULT_POOL_TIMEOUTS: PoolTimeouts = { acquireMs: 5000, statementMs: 0 };

/**
 * A connection that breaks while idle in a pool (terminated backend, database restart) emits
 * 'error' on its client; unheard, that event ends the process. Heard, the pool drops the client
 * and the next checkout opens a fresh one.
 */
function onConnectionError(err: Error): void {
  noteDatabaseError(err);
}

/**
 * Beyond statement_timeout, the client's own deadline: a server that is stopped (SIGSTOP, a
 * frozen VM, a dead network) cannot cancel anything, so the client gives up a little later.
 */
const QUERY_TIMEOUT_MARGIN_MS = 3000;

/**
 * After a read timeout the connection still has a statement outstanding on the server; knex
 * would hand it out again and the next statement would queue behind the stuck one. Ending the
 * stream makes knex drop it (it marks a connection that ended as disposed). The session pool
 * (pg.Pool) already removes a client whose query failed.
 */
function dropOnReadTimeout(conn: pg.Client): void {
  type Query = (...args: unknown[]) => unknown;
  const query = conn.query.bind(conn) as Query;
  (conn as unknown as { query: Query }).query = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (typeof last !== 'function') return query(...args); // a stream or a promise: as it is
    const callback = last as (err: Error | null, res: unknown) => void;
    return query(...args.slice(0, -1), (err: Error | null, res: unknown) => {
      if (err?.message === 'Query read timeout') conn.connection.stream.destroy();
      callback(err, res);
    });
  };
}

/** Connection settings every pool of a server shares: the bounded acquire and statement limits. */
function connectionBounds(embedded: boolean, timeouts: PoolTimeouts) {
  // PGlite's socket server takes no startup options: its connections keep PGlite's defaults.
  return !embedded && timeouts.statementMs > 0
    ? {
        statement_timeout: timeouts.statementMs,
        query_timeout: timeouts.statementMs + QUERY_TIMEOUT_MARGIN_MS,
      }
    : {};
}

/** A knex pool of `max` connections on `url`, with the outage handling of every pool here. */
export function createKnex(url: string, embedded: boolean, timeouts: PoolTimeouts, max: number): Knex {
  const knex = knexFactory({
    client: 'pg',
    connection: {
      connectionString: url,
      connectionTimeoutMillis: timeouts.acquireMs,
      ...connectionBounds(embedded, timeouts),
    },
    acquireConnectionTimeout: timeouts.acquireMs || 60000,
    // knex's own console lines ("Connection Error: …") would repeat what the outage log says once.
    log: {
      warn: (message: string) => logger.debug({ knex: message }, 'knex warning'),
      error: (message: string) => logger.error({ knex: message }, 'knex error'),
      debug: (message: string) => logger.debug({ knex: message }, 'knex debug'),
      deprecate: (method: string, alternative: string) =>
        logger.warn({ method, alternative }, 'knex deprecation'),
    },
    pool: {
      min: 0,
      max,
      afterCreate(conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) {
        conn.on('error', onConnectionError);
        dropOnReadTimeout(conn);
        done(null, conn);
      },
    },
    migrations: migrationConfig(),
  });
  // A COMMIT that failed may still have committed on the server (the connection broke after).
  knex.on('query-error', (err: unknown, query: { sql?: string }) => {
    if (/^\s*COMMIT\b/i.test(query.sql ?? '')) markCommitUncertain(err);
  });
  return knex;
}

export function createPools(url: string, embedded: boolean, timeouts = DEFAULT_POOL_TIMEOUTS): Pools {
  const sizes = poolSizes(embedded);
  const statementTimeout = connectionBounds(embedded, timeouts);
  const knex = createKnex(url, embedded, timeouts, sizes.knex);
  const sessionPool = new pg.Pool({
    connectionString: url,
    max: sizes.session,
    connectionTimeoutMillis: timeouts.acquireMs,
    ...statementTimeout,
  });
  sessionPool.on('error', onConnectionError);
  return {
    knex,
    sessionPool,
    async close() {
      await Promise.all([knex.destroy(), sessionPool.end()]);
    },
  };
}

export async function migrateLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest();
}
