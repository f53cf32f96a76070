import type { Knex } from 'knex';

// 已入库信息查询: one row per stored production system, holding the filterable and sortable
// fields of its STORED version, taken out of system_versions.data (jsonb) once, when it is
// stored.
//
// Why a table and not expression indexes on system_versions: the query is always over stored
// versions only (≈100,000 of many more versions), combines several filters with a jurisdiction
// join and a sort, and needs a total count. Expression indexes would index every version of
// every system and still need a join to production_systems to find which version is stored;
// a narrow table of plain columns answers filter + count + sort with ordinary btrees and keeps
// the jsonb out of the hot path (the page reads `data` only for the 20 rows it shows).
//
// The table is written by refresh_stored_systems(), in the same transaction as the storing
// (services/workflow.ts apply() → data/stored.ts), and by the backfill below. The extraction
// lives only in that function, so the backfill and the live path cannot disagree. Versions are
// immutable, so a row changes only when a newer version of the system is stored; while a
// change (变更) is drafted or reviewed the row keeps describing the stored version.
//
// Jurisdiction is not denormalised: the query joins agencies on supervising_agency_id and
// filters agencies.path with the existing text_pattern_ops index (agencies_path_prefix), so a
// re-seeded agency tree cannot leave stale paths here.
//
// Indexes, and the query each serves:
// - stored_systems_agency (supervising_agency_id): a province/city/county scope is a few
//   hundred agencies found by path prefix, then their systems by this index (nested loop).
// - stored_systems_enterprise (enterprise_id): the free-text search's enterprise half (below).
// - stored_systems_recent (stored_at DESC, system_id DESC): the default order (newest first);
//   for wide scopes (national, a large province) the planner walks it and stops at the page's
//   LIMIT instead of sorting the whole set.
// - stored_systems_name (name, system_id): the same for the 名称 sort.
// - stored_systems_category_region (category, coalesce(region_code,''), name, system_id): the
//   category filter, the 地区 sort within a category, and the .xlsx export, which reads one
//   category at a time in keyset-paginated batches ordered by exactly these columns (each batch
//   is one index range, however deep into the export).
// - stored_systems_region (coalesce(region_code,''), name, system_id) and
//   stored_systems_category_rank (category_rank, name, system_id): the 地区 and 类别 sorts over
//   all categories. category_rank is the category's place in the filing forms' order (the
//   domain's `categories`, also the order of the CHECK constraint), so that 类别 sorts the way
//   users know it rather than by code; without it every such page sorted the whole scope.
// - stored_systems_licence (safety_license_expires) WHERE NOT NULL: 已过期 / 90天内到期 are
//   date ranges against today.
// The enumerated filters (mineral, scale, production status, grade, safety degree, 头顶库) are
// low-selectivity or only meaningful inside a category; they are evaluated as plain column
// comparisons on the rows the scope/category/sort index yields — on a table this narrow even a
// full national scan is a few milliseconds, so more indexes would cost writes for nothing.
// Free text (system name, licence numbers → search_text; enterprise name and credit code via a
// semi-join on enterprises) is an infix LIKE, which no btree serves: trigram GIN indexes do, on
// search_text, on lower(enterprise name || credit code) and — for 信息追踪 — on
// lower(production_systems.name). They need pg_trgm, which a real server has and the embedded
// PGlite lacks; there the same query runs as a scan of narrow columns (fine at demo scale).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE stored_systems (
    system_id integer PRIMARY KEY REFERENCES production_systems(id),
    version integer NOT NULL,
    stored_at timestamptz NOT NULL,
    category text NOT NULL,
    category_rank smallint NOT NULL,
    name text NOT NULL,
    enterprise_id integer NOT NULL REFERENCES enterprises(id),
    supervising_agency_id integer NOT NULL REFERENCES agencies(id),
    region_code varchar(6) NULL,
    production_status text NULL,
    mineral text NULL,
    scale text NULL,
    grade text NULL,
    safety_degree text NULL,
    overhead boolean NULL,
    safety_license_expires date NULL,
    search_text text NOT NULL,
    FOREIGN KEY (system_id, version) REFERENCES system_versions (system_id, version)
  )`);
  await knex.raw(`CREATE INDEX stored_systems_agency ON stored_systems (supervising_agency_id)`);
  await knex.raw(`CREATE INDEX stored_systems_enterprise ON stored_systems (enterprise_id)`);
  await knex.raw(`CREATE INDEX stored_systems_recent ON stored_systems (stored_at DESC, system_id DESC)`);
  await knex.raw(`CREATE INDEX stored_systems_name ON stored_systems (name, system_id)`);
  await knex.raw(`CREATE INDEX stored_systems_category_region
    ON stored_systems (category, (coalesce(region_code, '')), name, system_id)`);
  await knex.raw(
    `CREATE INDEX stored_systems_region ON stored_systems ((coalesce(region_code, '')), name, system_id)`,
  );
  await knex.raw(
    `CREATE INDEX stored_systems_category_rank ON stored_systems (category_rank, name, system_id)`,
  );
  await knex.raw(`CREATE INDEX stored_systems_licence ON stored_systems (safety_license_expires)
    WHERE safety_license_expires IS NOT NULL`);

  // Refreshes the rows of the given systems (all stored systems when NULL) from their stored
  // versions, and drops rows of systems no longer stored. The supervising agency is the one the
  // stored version was submitted to (its 'submit' history row), which is what reviewed it;
  // production_systems.supervising_agency_id can already name a newer one while a change is
  // reviewed. Dates are taken only when well-formed, so a bad value can never fail a storing.
  await knex.raw(`CREATE FUNCTION refresh_stored_systems(only_ids integer[]) RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM stored_systems ss
     WHERE (only_ids IS NULL OR ss.system_id = ANY (only_ids))
       AND NOT EXISTS (SELECT 1 FROM production_systems ps
                        WHERE ps.id = ss.system_id AND ps.stored_version IS NOT NULL);
    INSERT INTO stored_systems AS ss (system_id, version, stored_at, category, category_rank, name, enterprise_id,
        supervising_agency_id, region_code, production_status, mineral, scale, grade, safety_degree,
        overhead, safety_license_expires, search_text)
    SELECT ps.id, v.version, coalesce(ps.stored_at, v.submitted_at), v.category,
           array_position(ARRAY['underground','open_pit','tailings','oil_gas_onshore','oil_gas_offshore',
                                'exploration','excavation'], v.category),
           v.name, ps.enterprise_id,
           coalesce((SELECT h.to_agency_id FROM history h
                      WHERE h.system_id = ps.id AND h.action = 'submit' AND h.version = v.version
                      ORDER BY h.seq DESC LIMIT 1), ps.supervising_agency_id),
           nullif(v.data->>'region_code', ''),
           v.data->>'production_status',
           v.data->>'mineral',
           v.data->>'scale',
           v.data->>'grade',
           v.data->>'safety_degree',
           CASE v.data->'overhead' WHEN 'true'::jsonb THEN true WHEN 'false'::jsonb THEN false END,
           CASE WHEN v.data->>'safety_license_expires' ~ '^\\d{4}-\\d{2}-\\d{2}$'
                THEN (v.data->>'safety_license_expires')::date END,
           lower(concat_ws(' ', v.name, v.data->>'safety_license_no', v.data->>'mining_license_no',
                           v.data->>'qualification_no'))
      FROM production_systems ps
      JOIN system_versions v ON v.system_id = ps.id AND v.version = ps.stored_version
     WHERE ps.stored_version IS NOT NULL AND (only_ids IS NULL OR ps.id = ANY (only_ids))
    ON CONFLICT (system_id) DO UPDATE SET
      version = excluded.version, stored_at = excluded.stored_at, category = excluded.category,
      category_rank = excluded.category_rank,
      name = excluded.name, enterprise_id = excluded.enterprise_id,
      supervising_agency_id = excluded.supervising_agency_id, region_code = excluded.region_code,
      production_status = excluded.production_status, mineral = excluded.mineral,
      scale = excluded.scale, grade = excluded.grade, safety_degree = excluded.safety_degree,
      overhead = excluded.overhead, safety_license_expires = excluded.safety_license_expires,
      search_text = excluded.search_text;
  $$`);

  // Free text: trigram indexes where the pg_trgm extension can be had (a real PostgreSQL
  // server; the embedded PGlite has none, and then the same LIKE runs as a scan).
  await knex.raw(`DO $$ BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pg_trgm not available: free-text search runs without a trigram index';
    END $$`);
  const trgm = await knex.raw(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`);
  if (trgm.rows.length) {
    await knex.raw(
      `CREATE INDEX stored_systems_search ON stored_systems USING gin (search_text gin_trgm_ops)`,
    );
    await knex.raw(`CREATE INDEX IF NOT EXISTS enterprises_search
      ON enterprises USING gin (lower(name || ' ' || credit_code) gin_trgm_ops)`);
    await knex.raw(`CREATE INDEX IF NOT EXISTS production_systems_name_search
      ON production_systems USING gin (lower(name) gin_trgm_ops)`);
  }

  // Backfill whatever was stored before this table existed.
  await knex.raw(`SELECT refresh_stored_systems(NULL)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS enterprises_search`);
  await knex.raw(`DROP INDEX IF EXISTS production_systems_name_search`);
  await knex.raw(`DROP FUNCTION refresh_stored_systems(integer[])`);
  await knex.raw(`DROP TABLE stored_systems`);
}
