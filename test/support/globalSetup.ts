import { startEmbeddedDatabase } from '../../src/db/embedded';
import { createPools, migrateLatest } from '../../src/db/pools';
import { seedReferenceData } from '../../seeds/01_reference_data';

// One database for the whole run: the server at DATABASE_URL (CI: the machine's PostgreSQL),
// or else an in-memory PGlite started once here (it takes seconds) and served on a loopback
// port. Migrations and the real region/agency tree are loaded once; test files reset the rest.
// Both database projects (integration, browser) name this setup; jest runs each project's in one
// process, so the second finds the database ready.
export default async function globalSetup(): Promise<void> {
  const state = globalThis as { __testDbReady?: boolean };
  if (state.__testDbReady) return;
  process.env.NODE_ENV = 'test';
  if (!process.env.DATABASE_URL) {
    const embedded = await startEmbeddedDatabase(null);
    (globalThis as { __embeddedDb?: typeof embedded }).__embeddedDb = embedded;
    process.env.DATABASE_URL = embedded.url;
    process.env.DATABASE_EMBEDDED = 'true';
  }
  const pools = createPools(process.env.DATABASE_URL, process.env.DATABASE_EMBEDDED === 'true');
  try {
    await migrateLatest(pools.knex);
    await seedReferenceData(pools.knex);
  } finally {
    await pools.close();
  }
  state.__testDbReady = true;
}
