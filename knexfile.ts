import type { Knex } from 'knex';
import { migrationConfig } from './src/db/pools';
import { environment } from './src/config';

// For the knex CLI against a real server; the app itself migrates at start (src/server.ts).
const config: Knex.Config = {
  client: 'pg',
  connection: environment().DATABASE_URL,
  migrations: migrationConfig(),
  seeds: { directory: './seeds', loadExtensions: ['.ts'] },
};

export default config;
