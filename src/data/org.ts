import type { Knex } from 'knex';
import { pathCodes, type AgencyLevel } from '../domain/orgTree';
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

/** An agency with the short name of its region (浙江省), where it has one. */
export interface NamedAgencyRow extends AgencyRow {
  region_name: string | null;
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
  async function named(agencies: readonly AgencyRow[]): Promise<NamedAgencyRow[]> {
    const { regionByCode } = await ref();
    return agencies.map((a) => ({
      ...a,
      region_name: (a.region_code && regionByCode.get(a.region_code)?.name) || null,
    }));
  }
  /** The agency and its ancestors, from the agency up to the root. */
  async function chainOf(id: number): Promise<AgencyRow[]> {
    const { agencyById, agencyByCode } = await ref();
    const agency = agencyById.get(id);
    if (!agency) return [];
    return pathCodes(agency.path)
      .flatMap((c) => agencyByCode.get(c) ?? [])
      .sort((a, b) => b.depth - a.depth);
  }
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
    chainOf,
    /** The agency and its ancestors, from the root down, with their region's name. */
    async namedChainOf(id: number): Promise<NamedAgencyRow[]> {
      return named((await chainOf(id)).reverse());
    },
    childrenOf: async (id: number): Promise<AgencyRow[]> => (await ref()).agencyChildren.get(id) ?? [],
    /** The agencies directly under `id`, in tree order, with their region's name. */
    namedChildrenOf: async (id: number): Promise<NamedAgencyRow[]> =>
      named((await ref()).agencyChildren.get(id) ?? []),
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
