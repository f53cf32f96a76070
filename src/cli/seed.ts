import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { createServices } from '../services';
import { seedReferenceData } from '../../seeds/01_reference_data';
import { seedOnStart } from './seedOnStart';
import { runCli } from './runCli';

// Loads (or refreshes) the region/agency tree, the admin account and the demo data.
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, { command: 'seed' });
  try {
    const counts = await seedReferenceData(db.knex);
    console.log(`行政区划 ${counts.regions} 个、安监部门 ${counts.agencies} 个`);
    for (const line of await seedOnStart(db.knex, createServices(db.knex, config), config)) console.log(line);
  } finally {
    await db.close();
  }
}

runCli(main);
