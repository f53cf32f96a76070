import type { Knex } from 'knex';
import type { AgencyLevel } from '../domain/orgTree';
import { referenceData } from './referenceData';

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

/** Lookups of agencies and regions, served from the process's reference data (referenceData.ts). */
export function orgRepo(db: Knex | Knex.Transaction) {
  const ref = () => referenceData(db);
  return {
    agencyById: async (id: number): Promise<AgencyRow | undefined> => (await ref()).agencyById.get(id),
    /** The national root of the tree. */
    root: async (): Promise<AgencyRow | undefined> => (await ref()).agencyChildren.get(null)?.[0],
    agencyByCode: async (code: string): Promise<AgencyRow | undefined> =>
      (await ref()).agencyByCode.get(code),
    async agenciesByIds(ids: readonly number[]): Promise<AgencyRow[]> {
      const { agencyById } = await ref();
      return [...new Set(ids)].flatMap((id) => agencyById.get(id) ?? []);
    },
    /** The agency and its ancestors, from the agency up to the root. */
    async chainOf(id: number): Promise<AgencyRow[]> {
      const { agencyById, agencyByCode } = await ref();
      const agency = agencyById.get(id);
      if (!agency) return [];
      const codes = agency.path.split('/').filter(Boolean);
      return codes.flatMap((c) => agencyByCode.get(c) ?? []).sort((a, b) => b.depth - a.depth);
    },
    childrenOf: async (id: number): Promise<AgencyRow[]> => (await ref()).agencyChildren.get(id) ?? [],
    /** Agencies in the subtree of `root` (inclusive), optionally filtered by level. */
    async subtree(root: AgencyRow, levels?: readonly AgencyLevel[]): Promise<AgencyRow[]> {
      return (await ref()).agencies.filter(
        (a) => a.path.startsWith(root.path) && (!levels || levels.includes(a.level)),
      );
    },
    agencyForRegion: async (regionCode: string): Promise<AgencyRow | undefined> =>
      (await ref()).agencyByRegion.get(regionCode),
    offshoreAgencies: async (): Promise<AgencyRow[]> =>
      (await ref()).agencies.filter((a) => a.level === 'offshore'),
    regionByCode: async (code: string): Promise<RegionRow | undefined> =>
      (await ref()).regionByCode.get(code),
    regionChildren: async (parentCode: string | null): Promise<RegionRow[]> =>
      (await ref()).regionChildren.get(parentCode) ?? [],
    countAgencies: async (): Promise<number> => (await ref()).agencies.length,
  };
}
