import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// The embedded PostgreSQL: PGlite served on a loopback port, so that the app reaches it through
// the same pg / knex / connect-pg-simple code as a real server.
//
// PGlite runs every connection through one backend session. With more than one pooled
// connection, parameterised queries queued behind another connection's open transaction come
// back with wrong rows (upstream pglite issues #1046, #985). So the server takes exactly two
// connections — one for the knex pool, one for the session store — and each of those pools has
// exactly one connection (see db/pools.ts; test/integration/embeddedDatabase.test.ts holds it).
export const EMBEDDED_MAX_CONNECTIONS = 2;

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** dataDir null: an in-memory database (tests). */
export async function startEmbeddedDatabase(dataDir: string | null, port = 0): Promise<EmbeddedDatabase> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://');
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  await server.start();
  const conn = server.getServerConn(); // host:port
  return {
    url: `postgres://postgres@${conn}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
