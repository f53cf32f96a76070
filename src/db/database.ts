import type { Config } from '../config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { createPools, migrateLatest, type Pools } from './pools';
import path from 'node:path';

export interface Database extends Pools {
  url: string;
  embedded: boolean;
}

/**
 * Opens the configured database — the server at DATABASE_URL, or the embedded PGlite in
 * DATA_DIR — and brings its schema up to date. Both take the same code path after this.
 */
export async function openDatabase(config: Config): Promise<Database> {
  let embeddedServer: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embeddedServer = await startEmbeddedDatabase(path.join(config.dataDir, 'pglite'));
    url = embeddedServer.url;
  }
  const pools = createPools(url, config.embeddedDatabase);
  await migrateLatest(pools.knex);
  return {
    ...pools,
    url,
    embedded: config.embeddedDatabase,
    async close() {
      await pools.close();
      await embeddedServer?.stop();
    },
  };
}
