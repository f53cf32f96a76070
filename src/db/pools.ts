import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import fs from 'node:fs';
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
