import type { Config } from '../config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { acquireDataDirLock, type DataDirLock } from './dataDirLock';
import { createPools, migrateLatest, type Pools, type PoolTimeouts } from './pools';
import pg from 'pg';
import path from 'node:path';

export interface Database extends Pools {
  url: string;
  embedded: boolean;
}

/**
 * Opens the configured database — the server at DATABASE_URL, or the embedded PGlite in
 * DATA_DIR — and brings its schema up to date. Both take the same code path after this.
 * The embedded database is opened only after this process holds DATA_DIR's lock (see
 * dataDirLock.ts): `holder` names the entry point in the lock, for the message others get.
 */
export async function openDatabase(
  config: Config,
  holder: { command: string; address?: string },
  statementTimeout = false,
): Promise<Database> {
  let embeddedServer: EmbeddedDatabase | null = null;
  let lock: DataDirLock | null = null;
  let url = config.databaseUrl;
  if (!url) {
    lock = acquireDataDirLock(config.dataDir, holder);
    try {
      embeddedServer = await startEmbeddedDatabase(path.join(config.dataDir, 'pglite'));
    } catch (err) {
      lock.release();
      throw err;
    }
    url = embeddedServer.url;
  }
  const timeouts: PoolTimeouts = {
    acquireMs: config.databaseAcquireMs,
    statementMs: statementTimeout ? config.databaseStatementMs : 0,
  };
  const pools = createPools(url, config.embeddedDatabase, timeouts);
  const dbUrl = url;
  const close = async () => {
    await pools.close();
    await embeddedServer?.stop();
    lock?.release();
  };
  try {
    await underStartLock(dbUrl, config.embeddedDatabase, () => migrateLatest(pools.knex));
  } catch (err) {
    await close();
    throw err;
  }
  return { ...pools, url, embedded: config.embeddedDatabase, close };
}

/** Any fixed number, the same in every process of this application: the key of its start lock. */
const START_LOCK_KEY = 7_310_100_001;

/**
 * Runs `work` (migrating, seeding) while holding a PostgreSQL advisory lock on one dedicated
 * connection, so that processes starting at once on one database take turns: the first creates
 * the schema and seeds it, the others then find it done. knex's own migration lock does not
 * cover creating its knex_migrations tables, nor seeding. The embedded database needs none:
 * DATA_DIR's lock already lets only one process open it (and it takes only two connections).
 */
export async function underStartLock<T>(url: string, embedded: boolean, work: () => Promise<T>): Promise<T> {
  if (embedded) return work();
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // a break surfaces as the failed query below
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [START_LOCK_KEY]);
    return await work();
  } finally {
    // Ending the session releases the lock even when the unlock cannot be sent.
    await client.query('select pg_advisory_unlock($1)', [START_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
