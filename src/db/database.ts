import type { Config } from '../config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { acquireDataDirLock, type DataDirLock } from './dataDirLock';
import { createPools, migrateLatest, type Pools } from './pools';
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
  const pools = createPools(url, config.embeddedDatabase);
  const close = async () => {
    await pools.close();
    await embeddedServer?.stop();
    lock?.release();
  };
  try {
    await migrateLatest(pools.knex);
  } catch (err) {
    await close();
    throw err;
  }
  return { ...pools, url, embedded: config.embeddedDatabase, close };
}
