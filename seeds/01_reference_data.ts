import type { Knex } from 'knex';
import { buildOrgTree, type AgencyRow, type RegionRow } from './lib/buildOrgTree';
import { forgetReferenceData } from '../src/data/referenceData';

// Seeds the organisation tree: regions and agencies (SPEC §3). Idempotent: rows are upserted
// by code, and an upsert only rewrites a row whose values differ, so a re-run writes nothing.
// Rows that are no longer in the tree are left alone (enterprises and accounts refer to them).

const BATCH = 1000;

const REGION_COLUMNS = ['name', 'full_name', 'level', 'parent_code', 'is_leaf'] as const;
const AGENCY_COLUMNS = ['name', 'level', 'parent_id', 'region_code', 'path', 'depth', 'sort'] as const;

/** `(t.a, t.b) IS DISTINCT FROM (excluded.a, excluded.b)`: the upsert's "did anything change" test. */
const changed = (table: string, columns: readonly string[]): string =>
  `(${columns.map((c) => `${table}.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `excluded.${c}`).join(', ')})`;

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Groups rows by a numeric rank, in ascending rank order (parents before children). */
function byRank<T>(rows: T[], rank: (row: T) => number): T[][] {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const r = rank(row);
    const group = groups.get(r);
    if (group) group.push(row);
    else groups.set(r, [row]);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((r) => groups.get(r)!);
}

const REGION_RANK = { province: 0, city: 1, county: 2 } as const;

async function upsertRegions(trx: Knex.Transaction, regions: RegionRow[]): Promise<void> {
  // By level, so that every parent_code (FK) exists before its children arrive.
  for (const level of byRank(regions, (r) => REGION_RANK[r.level])) {
    for (const batch of chunks(level, BATCH)) {
      await trx('regions')
        .insert(batch)
        .onConflict('code')
        .merge()
        .whereRaw(changed('regions', REGION_COLUMNS));
    }
  }
}

async function upsertAgencies(trx: Knex.Transaction, agencies: AgencyRow[]): Promise<void> {
  // Depth by depth: parent_id is resolved by joining on the parent's code, and a statement does
  // not see its own inserts, so parents must be written by an earlier statement. A batch travels
  // as one jsonb parameter, so its size is not bounded by the bind-parameter limit.
  // (ON CONFLICT still draws an id for every proposed row: a re-run leaves gaps in the id
  // sequence, never changes existing ids.)
  for (const level of byRank(agencies, (a) => a.depth)) {
    for (const batch of chunks(level, BATCH)) {
      await trx.raw(
        `INSERT INTO agencies (code, ${AGENCY_COLUMNS.join(', ')})
         SELECT r.code, r.name, r.level, p.id, r.region_code, r.path, r.depth, r.sort
           FROM jsonb_to_recordset(?::jsonb) AS r(code text, name text, level text, parent_code text,
                                                  region_code text, path text, depth int, sort int)
           LEFT JOIN agencies p ON p.code = r.parent_code
         ON CONFLICT (code) DO UPDATE SET ${AGENCY_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE ${changed('agencies', AGENCY_COLUMNS)}`,
        [JSON.stringify(batch)],
      );
    }
  }

  // A parent missing from the table would have left parent_id NULL silently (LEFT JOIN): check.
  const nonRoot = agencies.filter((a) => a.parent_code !== null).map((a) => a.code);
  const orphans: string[] = await trx('agencies')
    .whereNull('parent_id')
    .whereRaw('code = ANY(?)', [nonRoot])
    .pluck('code');
  if (orphans.length > 0) throw new Error(`agencies without parent: ${orphans.slice(0, 10).join(', ')}`);
}

export async function seedReferenceData(knex: Knex): Promise<{ regions: number; agencies: number }> {
  const { regions, agencies } = buildOrgTree();
  await knex.transaction(async (trx) => {
    await upsertRegions(trx, regions);
    await upsertAgencies(trx, agencies);
  });
  forgetReferenceData(knex);
  return { regions: regions.length, agencies: agencies.length };
}

/** knex seed entry point (`knex seed:run`). */
export async function seed(knex: Knex): Promise<void> {
  await seedReferenceData(knex);
}
