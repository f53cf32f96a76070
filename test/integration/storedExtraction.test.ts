import { startTestApp, type TestApp } from '../support/app';
import { CHAIN, createEnterprise } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import {
  categories,
  STATISTICS_FIELDS,
  STORED_QUERY_FIELDS,
  type Category,
  type FieldType,
  type SystemData,
} from '../../src/domain/systems';

// The stored query's columns and the statistics' columns derive from the category definitions
// (their `query`): this holds the database to them, as tracking.test.ts holds the tracking
// backfill to the domain rule. A field declared a filter without its stored_systems column (or
// a column nobody declares) fails here until a migration adds (or drops) it; and every stored
// system's row must carry exactly what its stored version holds in those fields.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const COLUMN_TYPES: Record<FieldType, string> = {
  enum: 'text',
  text: 'text',
  bool: 'boolean',
  date: 'date',
  number: 'numeric',
  integer: 'numeric',
  multi: 'jsonb',
};
/** The columns every stored row has beside the declared fields. */
const OWN_COLUMNS = [
  'system_id',
  'version',
  'stored_at',
  'category',
  'category_rank',
  'name',
  'enterprise_id',
  'supervising_agency_id',
  'region_code',
  'search_text',
];
/** stats_<field>, except the licence expiry's shorter name. */
const statsColumn = (code: string): string =>
  code === 'safety_license_expires' ? 'stats_licence_expires' : `stats_${code}`;

async function columnsOf(table: string): Promise<Map<string, string>> {
  const rows: { column_name: string; data_type: string }[] = await t
    .knex('information_schema.columns')
    .where({ table_name: table, table_schema: t.knex.raw('current_schema()') })
    .select('column_name', 'data_type');
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

it('stored_systems has a column of the right type for each declared filter, and no other', async () => {
  const columns = await columnsOf('stored_systems');
  const declared = new Map(STORED_QUERY_FIELDS.map((f) => [f.code, COLUMN_TYPES[f.type]]));
  expect([...columns.keys()].filter((c) => !OWN_COLUMNS.includes(c)).sort()).toEqual(
    [...declared.keys()].sort(),
  );
  for (const [code, type] of declared) expect({ code, type: columns.get(code) }).toEqual({ code, type });
});

it('system_versions has a stats_* column for each declared statistic, and no other', async () => {
  const columns = await columnsOf('system_versions');
  expect([...columns.keys()].filter((c) => c.startsWith('stats_')).sort()).toEqual(
    STATISTICS_FIELDS.map((f) => statsColumn(f.code)).sort(),
  );
});

it('each stored system carries its stored version’s declared fields, and its category’s rank', async () => {
  const onshore = await createEnterprise(t, { supervisingCode: CHAIN.county });
  const offshore = await createEnterprise(t, {
    supervisingCode: 'HYAB-CNPC-DG',
    regionCode: '120116',
  });
  const ids: number[] = [];
  for (const def of categories) {
    const e = def.code === 'oil_gas_offshore' ? offshore : onshore;
    ids.push((await fileThrough(t, 'stored', { enterprise: e, category: def.code })).id);
  }
  const rows: (Record<string, unknown> & { system_id: number; category: Category; data: SystemData })[] =
    await t
      .knex('stored_systems as ss')
      .join('system_versions as v', (j) =>
        j.on('v.system_id', 'ss.system_id').andOn('v.version', 'ss.version'),
      )
      .whereIn('ss.system_id', ids)
      .select('ss.*', 'v.data');
  expect(rows).toHaveLength(categories.length);
  const day = (x: unknown): unknown => (x instanceof Date ? x.toISOString().slice(0, 10) : x);
  for (const row of rows) {
    const expected: Record<string, unknown> = {
      category_rank: categories.findIndex((c) => c.code === row.category) + 1,
    };
    const actual: Record<string, unknown> = { category_rank: row.category_rank };
    for (const f of STORED_QUERY_FIELDS) {
      expected[f.code] = row.data[f.code] ?? null;
      actual[f.code] = f.type === 'date' && row[f.code] ? localDay(row[f.code]) : day(row[f.code]);
    }
    expect({ category: row.category, ...actual }).toEqual({ category: row.category, ...expected });
  }
});

/** A date column as pg returns it (local midnight) back to YYYY-MM-DD. */
function localDay(x: unknown): string {
  const d = x as Date;
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
