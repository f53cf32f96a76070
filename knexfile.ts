import type { Knex } from 'knex';
import { migrationConfig } from './src/db/pools';

// For the knex CLI against a real server; the app itself migrates at start (src/server.ts).
const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  migrations: migrationConfig(),
  seeds: { directory: './seeds', loadExtensions: ['.ts'] },
};

export default config;
