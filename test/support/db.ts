import { createPools, type Pools } from '../../src/db/pools';

export function testPools(): Pools {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by test/support/globalSetup.ts');
  return createPools(url, process.env.DATABASE_EMBEDDED === 'true');
}

/** Empties everything but the reference data (regions, agencies). TRUNCATE bypasses the
 * append-only triggers, which guard against UPDATE and DELETE only. */
export async function resetData(pools: Pools): Promise<void> {
  await pools.knex.raw(
    `TRUNCATE urge_items, urges, notices, job_runs, round_confirmations, campaign_round_changes, campaign_rounds, tracking, history, messages, system_versions, production_systems, users, enterprises, login_limits, "session", audit_log, audit_archives, second_factors, recovery_codes
     RESTART IDENTITY CASCADE`,
  );
}
