import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import path from 'node:path';

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

export function migrationConfig(): Knex.MigratorConfig {
  return {
    directory: path.resolve(__dirname, '../../migrations'),
    loadExtensions: ['.ts'],
    tableName: 'knex_migrations',
  };
}

export function createPools(url: string, embedded: boolean): Pools {
  const sizes = poolSizes(embedded);
  const knex = knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: sizes.knex },
    migrations: migrationConfig(),
  });
  const sessionPool = new pg.Pool({ connectionString: url, max: sizes.session });
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
