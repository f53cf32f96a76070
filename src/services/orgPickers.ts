import type { Knex } from 'knex';
import { orgRepo, type AgencyRow, type RegionRow } from '../data/org';

/**
 * The pickers of the enterprise forms: a county-level region chosen province → city → county,
 * and the supervising agency chosen from that region's chain. Shared by registration, the
 * enterprise profile and the production-system forms.
 *
 * The region tree is irregular (SPEC §3): municipalities have districts directly under the
 * province, some provinces have county-level units directly under them (湖北 仙桃), and a few
 * cities have no counties (东莞). The middle select therefore lists the province's cities plus,
 * where the province has counties of its own, one entry standing for them (its value is the
 * province code); a city without counties offers itself as its only county-level choice.
 */

export interface PickerOption {
  value: string;
  label: string;
}

export interface RegionSelection {
  province: string;
  city: string;
  county: string;
}

export interface RegionPicker {
  provinces: PickerOption[];
  cities: PickerOption[];
  counties: PickerOption[];
  /** The selection, narrowed to what is consistent (a stale lower level is dropped). */
  selected: RegionSelection;
  /** The chosen county-level code, or '' while the choice is incomplete. */
  code: string;
  /** The full name of the chosen region (浙江省杭州市西湖区), or ''. */
  fullName: string;
}

export interface AgencyGroup {
  label: string;
  options: PickerOption[];
}

const XPCC_CODE = 'XPCC';
const XINJIANG_PREFIX = '65';

const optionOf = (r: RegionRow): PickerOption => ({ value: r.code, label: r.name });

/** Reads the picker's three selects from a form body; `direct` when only region_code was sent. */
export function regionSelectionFrom(body: Record<string, unknown>): {
  selection: RegionSelection;
  direct: boolean;
} {
  const str = (k: string): string => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const direct = !('region_province' in body) && !('region_city' in body);
  return {
    selection: { province: str('region_province'), city: str('region_city'), county: str('region_code') },
    direct,
  };
}

export function orgPickers(db: Knex) {
  const org = orgRepo(db);

  async function cityOptions(province: RegionRow): Promise<PickerOption[]> {
    const children = await org.regionChildren(province.code);
    const cities = children.filter((r) => r.level === 'city').map(optionOf);
    if (!children.some((r) => r.level === 'county')) return cities;
    const own = {
      value: province.code,
      label: cities.length ? '省直辖县级行政区划' : `${province.name}所辖区、县`,
    };
    return cities.length ? [...cities, own] : [own];
  }

  async function countyOptions(middle: RegionRow): Promise<PickerOption[]> {
    if (middle.level === 'city' && middle.is_leaf)
      return [{ value: middle.code, label: `${middle.name}（不设区县）` }];
    const children = await org.regionChildren(middle.code);
    return children
      .filter((r) => r.is_leaf && (middle.level === 'city' || r.level === 'county'))
      .map(optionOf);
  }

  /** The selects' values that lead to a county-level region, or null when it is not one. */
  async function selectionOf(code: string): Promise<RegionSelection | null> {
    const region = /^\d{6}$/.test(code) ? await org.regionByCode(code) : undefined;
    if (!region || !region.is_leaf || !region.parent_code) return null;
    if (region.level === 'city')
      return { province: region.parent_code, city: region.code, county: region.code };
    const parent = await org.regionByCode(region.parent_code);
    if (!parent) return null;
    if (parent.level === 'province') return { province: parent.code, city: parent.code, county: region.code };
    return { province: parent.parent_code ?? '', city: parent.code, county: region.code };
  }

  /** Builds the three lists for a selection; a level that does not belong to the one above is dropped. */
  async function picker(wanted: RegionSelection): Promise<RegionPicker> {
    const provinces = (await org.regionChildren(null)).map(optionOf);
    const selected: RegionSelection = { province: '', city: '', county: '' };
    let cities: PickerOption[] = [];
    let counties: PickerOption[] = [];
    const province = provinces.some((o) => o.value === wanted.province)
      ? await org.regionByCode(wanted.province)
      : undefined;
    if (province) {
      selected.province = province.code;
      cities = await cityOptions(province);
      const city = cities.length === 1 ? cities[0].value : wanted.city;
      const middle = cities.some((o) => o.value === city) ? await org.regionByCode(city) : undefined;
      if (middle) {
        selected.city = middle.code;
        counties = await countyOptions(middle);
        const county = counties.length === 1 ? counties[0].value : wanted.county;
        if (counties.some((o) => o.value === county)) selected.county = county;
      }
    }
    const chosen = selected.county ? await org.regionByCode(selected.county) : undefined;
    return {
      provinces,
      cities,
      counties,
      selected,
      code: selected.county,
      fullName: chosen?.full_name ?? '',
    };
  }

  return {
    selectionOf,
    picker,
    /** The picker for a stored county-level code (an empty picker when there is none). */
    async pickerFor(code: string | null | undefined): Promise<RegionPicker> {
      const selection = code ? await selectionOf(code) : null;
      return picker(selection ?? { province: '', city: '', county: '' });
    },
    /**
     * The picker for a posted form. `error` is set when a county-level value was sent that does
     * not resolve (unknown, not county-level, or left over from another province).
     */
    async pickerFromForm(
      body: Record<string, unknown>,
    ): Promise<{ picker: RegionPicker; error: string | null }> {
      const { selection, direct } = regionSelectionFrom(body);
      const wanted = direct && selection.county ? await selectionOf(selection.county) : selection;
      const result = await picker(wanted ?? { province: '', city: '', county: '' });
      const error =
        selection.county && result.code !== selection.county
          ? '所选行政区划无效，请重新选择到县（市、区）一级'
          : null;
      return { picker: result, error };
    },
    /** The next select's options, for the JavaScript that narrows the lists. */
    async childOptions(parent: string, level: 'city' | 'county'): Promise<PickerOption[]> {
      const region = /^\d{6}$/.test(parent) ? await org.regionByCode(parent) : undefined;
      if (!region) return [];
      if (level === 'city') return region.level === 'province' ? cityOptions(region) : [];
      return region.level === 'county' ? [] : countyOptions(region);
    },

    /**
     * The agencies that may supervise an enterprise: for an offshore operator the offshore units
     * only; otherwise its region's county, city and province agencies (the national root is not a
     * choice) and 兵团 for 新疆 — nothing until a county-level region is chosen.
     */
    async agencyGroups(
      regionCode: string | null | undefined,
      opts: { offshore: boolean } = { offshore: false },
    ): Promise<AgencyGroup[]> {
      if (opts.offshore)
        return [{ label: '海洋石油作业安全监管', options: offshoreOptions(await org.offshoreAgencies()) }];
      const groups: AgencyGroup[] = [];
      const local = regionCode ? await org.agencyForRegion(regionCode) : undefined;
      if (local) {
        const chain = (await org.chainOf(local.id)).filter((a) => a.level !== 'national');
        groups.push({
          label: '所在地区安监部门',
          options: chain.map((a) => ({ value: String(a.id), label: a.name })),
        });
        if (regionCode!.startsWith(XINJIANG_PREFIX)) {
          const xpcc = await org.agencyByCode(XPCC_CODE);
          if (xpcc)
            groups.push({
              label: '新疆生产建设兵团',
              options: [{ value: String(xpcc.id), label: xpcc.name }],
            });
        }
      }
      return groups;
    },
  };
}

/**
 * Offshore units in tree order (office, then each 分部 followed by its 监督处), with the parent's
 * name beside a unit under a 分部: two of them are called 上海监督处.
 */
function offshoreOptions(rows: readonly AgencyRow[]): PickerOption[] {
  const byId = new Map(rows.map((a) => [a.id, a]));
  const children = new Map<number | null, AgencyRow[]>();
  for (const a of rows) {
    const key = a.parent_id !== null && byId.has(a.parent_id) ? a.parent_id : null;
    children.set(key, [...(children.get(key) ?? []), a]);
  }
  const out: PickerOption[] = [];
  const visit = (a: AgencyRow, depth: number): void => {
    const parent = a.parent_id !== null ? byId.get(a.parent_id) : undefined;
    out.push({ value: String(a.id), label: depth >= 2 && parent ? `${a.name}（${parent.name}）` : a.name });
    for (const c of children.get(a.id) ?? []) visit(c, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  return out;
}

export type OrgPickers = ReturnType<typeof orgPickers>;

/** Is the agency one of the choices offered for the region? */
export function agencyOffered(groups: readonly AgencyGroup[], agencyId: number): boolean {
  return groups.some((g) => g.options.some((o) => o.value === String(agencyId)));
}
