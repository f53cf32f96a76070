import type { Knex } from 'knex';
import type { AgencyRow, RegionRow } from './org';

/**
 * Agencies and regions are reference data: written only by migrations and the seed
 * (seeds/01_reference_data.ts), read on nearly every request. Each process loads them once
 * (≈3,200 rows each, ≈10 ms) and serves lookups from memory. The seed forgets them in its own
 * process at once; another process (`npm run seed` beside a running server) is picked up
 * within RELOAD_AFTER_MS, reloaded behind the request that notices.
 */
export interface ReferenceData {
  agencies: AgencyRow[];
  agencyById: Map<number, AgencyRow>;
  agencyByCode: Map<string, AgencyRow>;
  agencyByRegion: Map<string, AgencyRow>;
  /** Children of each agency (key null: the roots), in the tree's display order. */
  agencyChildren: Map<number | null, AgencyRow[]>;
  regionByCode: Map<string, RegionRow>;
  regionChildren: Map<string | null, RegionRow[]>;
}

const RELOAD_AFTER_MS = 10 * 60_000;

type SortedAgency = AgencyRow & { sort: number };

/** depth, then the seed's sort, then code: the order every agency list is shown in. */
export const byTreeOrder = (a: AgencyRow, b: AgencyRow): number =>
  a.depth - b.depth ||
  (a as SortedAgency).sort - (b as SortedAgency).sort ||
  (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function groupBy<K, V>(rows: readonly V[], key: (row: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

async function load(db: Knex | Knex.Transaction): Promise<ReferenceData> {
  const [agencyRows, regionRows] = await Promise.all([
    db<AgencyRow>('agencies').select('*'),
    db<RegionRow>('regions').select('*').orderBy('code'),
  ]);
  const agencies = [...agencyRows].sort(byTreeOrder);
  const agencyByRegion = new Map<string, AgencyRow>();
  for (const a of agencies)
    if (a.region_code && !agencyByRegion.has(a.region_code)) agencyByRegion.set(a.region_code, a);
  return {
    agencies,
    agencyById: new Map(agencies.map((a) => [a.id, a])),
    agencyByCode: new Map(agencies.map((a) => [a.code, a])),
    agencyByRegion,
    agencyChildren: groupBy(agencies, (a) => a.parent_id),
    regionByCode: new Map(regionRows.map((r) => [r.code, r])),
    regionChildren: groupBy(regionRows, (r) => r.parent_code),
  };
}

interface Entry {
  data: Promise<ReferenceData>;
  loadedAt: number;
}

// Keyed by the client's configuration, which a transaction shares with its knex instance.
const loaded = new WeakMap<object, Entry>();
const keyOf = (db: Knex | Knex.Transaction): object => db.client.config as object;

/** The reference data of this database, loaded on first use. */
export function referenceData(db: Knex | Knex.Transaction): Promise<ReferenceData> {
  const key = keyOf(db);
  const entry = loaded.get(key);
  if (!entry) {
    const fresh: Entry = { data: load(db), loadedAt: Date.now() };
    fresh.data.catch(() => loaded.delete(key)); // a failed load is tried again next time
    loaded.set(key, fresh);
    return fresh.data;
  }
  if (Date.now() - entry.loadedAt > RELOAD_AFTER_MS) {
    entry.loadedAt = Date.now();
    const next = load(db);
    next.then(
      (data) => (entry.data = Promise.resolve(data)),
      () => undefined, // keep serving what was loaded; the next reload tries again
    );
  }
  return entry.data;
}

/** After the seed wrote agencies or regions: the next lookup loads them again. */
export function forgetReferenceData(db: Knex | Knex.Transaction): void {
  loaded.delete(keyOf(db));
}
