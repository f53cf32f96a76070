import type { Knex } from 'knex';
import type { AgencyLevel } from '../domain/orgTree';

export interface AgencyRow {
  id: number;
  code: string;
  name: string;
  level: AgencyLevel;
  parent_id: number | null;
  region_code: string | null;
  path: string;
  depth: number;
}

export interface RegionRow {
  code: string;
  name: string;
  full_name: string;
  level: 'province' | 'city' | 'county';
  parent_code: string | null;
  is_leaf: boolean;
}

export function orgRepo(db: Knex | Knex.Transaction) {
  return {
    agencyById: (id: number): Promise<AgencyRow | undefined> =>
      db<AgencyRow>('agencies').where({ id }).first(),
    /** The national root of the tree. */
    root: (): Promise<AgencyRow | undefined> => db<AgencyRow>('agencies').whereNull('parent_id').first(),
    agencyByCode: (code: string): Promise<AgencyRow | undefined> =>
      db<AgencyRow>('agencies').where({ code }).first(),
    agenciesByIds: (ids: readonly number[]): Promise<AgencyRow[]> =>
      db<AgencyRow>('agencies').whereIn('id', ids as number[]),
    /** The agency and its ancestors, from the agency up to the root. */
    async chainOf(id: number): Promise<AgencyRow[]> {
      const agency = await db<AgencyRow>('agencies').select('path').where({ id }).first();
      if (!agency) return [];
      const codes = agency.path.split('/').filter(Boolean);
      const rows = await db<AgencyRow>('agencies').whereIn('code', codes);
      return rows.sort((a, b) => b.depth - a.depth);
    },
    childrenOf: (id: number): Promise<AgencyRow[]> =>
      db<AgencyRow>('agencies').where({ parent_id: id }).orderBy(['sort', 'code']),
    /** Agencies in the subtree of `root` (inclusive), optionally filtered by level. */
    subtree(root: AgencyRow, levels?: readonly AgencyLevel[]): Promise<AgencyRow[]> {
      const q = db<AgencyRow>('agencies').where('path', 'like', `${root.path}%`);
      if (levels) q.whereIn('level', levels as AgencyLevel[]);
      return q.orderBy(['depth', 'sort', 'code']);
    },
    agencyForRegion: (regionCode: string): Promise<AgencyRow | undefined> =>
      db<AgencyRow>('agencies').where({ region_code: regionCode }).first(),
    offshoreAgencies: (): Promise<AgencyRow[]> =>
      db<AgencyRow>('agencies').where({ level: 'offshore' }).orderBy(['depth', 'sort', 'code']),
    regionByCode: (code: string): Promise<RegionRow | undefined> =>
      db<RegionRow>('regions').where({ code }).first(),
    regionChildren: (parentCode: string | null): Promise<RegionRow[]> =>
      (parentCode === null
        ? db<RegionRow>('regions').whereNull('parent_code')
        : db<RegionRow>('regions').where({ parent_code: parentCode })
      ).orderBy('code'),
    countAgencies: async (): Promise<number> =>
      Number((await db('agencies').count<{ count: number }>('* as count').first())?.count ?? 0),
  };
}
