import type { Knex } from 'knex';

// Whole databases on a server, for the restore drill (cli/backupVerify.ts).

export async function createDatabase(server: Knex, name: string): Promise<void> {
  await server.raw(`CREATE DATABASE ??`, [name]);
}

/** Drops the database, ending any connection to it. */
export async function dropDatabase(server: Knex, name: string): Promise<void> {
  await server.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [name]);
}

/** What a (restored) database holds: row counts of the main tables and its last migration. */
export async function databaseContents(knex: Knex): Promise<{
  users: number;
  enterprises: number;
  systems: number;
  stored: number;
  lastMigration: string | null;
}> {
  const count = async (table: string) => Number((await knex(table).count<{ n: number }[]>('* as n'))[0].n);
  const last = await knex('knex_migrations').orderBy('id', 'desc').first('name');
  return {
    users: await count('users'),
    enterprises: await count('enterprises'),
    systems: await count('production_systems'),
    stored: await count('stored_systems'),
    lastMigration: last?.name ?? null,
  };
}
