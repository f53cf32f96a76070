import type { Knex } from 'knex';

// The bulk writes of the benchmark generator (cli/generateBenchData.ts): rows it has already
// played through the workflow rules, inserted many a statement, in the caller's transaction.

/** An agency as the generator places enterprises and climbs chains by it. */
export interface BenchAgency {
  id: number;
  code: string;
  level: string;
  path: string;
  region_code: string | null;
}

const BATCH = 2000;

export function benchDataRepo(db: Knex | Knex.Transaction) {
  return {
    agencies: (): Promise<BenchAgency[]> =>
      db('agencies').select('id', 'code', 'level', 'path', 'region_code'),
    /** Agency id → the id of a regulator account of it. */
    async regulatorOfAgency(): Promise<Map<number, number>> {
      const rows: { id: number; agency_id: number }[] = await db('users')
        .whereNotNull('agency_id')
        .select('id', 'agency_id');
      return new Map(rows.map((u) => [u.agency_id, u.id]));
    },
    leafRegions: (): Promise<{ code: string; full_name: string }[]> =>
      db('regions').where('is_leaf', true).select('code', 'full_name'),
    systemCount: async (): Promise<number> =>
      Number((await db('production_systems').count<{ count: number }>('* as count').first())!.count),
    insertEnterprises: (
      rows: Record<string, unknown>[],
    ): Promise<{ id: number; supervising_agency_id: number }[]> =>
      db('enterprises').insert(rows).returning(['id', 'supervising_agency_id']),
    insertUsers: (rows: Record<string, unknown>[]): Promise<{ id: number; enterprise_id: number }[]> =>
      db('users').insert(rows).returning(['id', 'enterprise_id']),
    insertSystems: (rows: Record<string, unknown>[]): Promise<{ id: number }[]> =>
      db('production_systems').insert(rows).returning('id'),
    /** Versions, history and tracking rows, BATCH a statement. */
    async insertAll(table: 'system_versions' | 'history' | 'tracking', rows: Record<string, unknown>[]) {
      for (let i = 0; i < rows.length; i += BATCH) await db(table).insert(rows.slice(i, i + BATCH));
    },
    /** Fresh planner statistics after the bulk load. */
    async vacuumAnalyze(): Promise<void> {
      await db.raw('VACUUM ANALYZE');
    },
  };
}
