import {
  categoryByCode,
  displayValue,
  findField,
  type FieldValue,
  type SystemData,
} from '../../domain/systems';
import {
  LICENCE_EXPIRY_FIELD,
  LICENCE_EXPIRY_LABELS,
  licenceExpiry,
  licenceWindow,
  type LicenceExpiry,
} from '../../domain/licence';

export interface DataRowView {
  code: string;
  label: string;
  value: string;
  /** Differs from the compared version. */
  changed: boolean;
  previous: string | null;
  /** A return pointed at this field. */
  flagged: boolean;
  /** The licence expiry field, when the licence has expired or expires soon (domain/licence.ts). */
  expiry: { kind: LicenceExpiry; label: string } | null;
}

export interface DataSectionView {
  title: string;
  rows: DataRowView[];
}

function same(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * A frozen version as labelled sections, rendered from the category definition. With
 * `previous`, each row says whether it changed; `flagged` marks fields a return pointed at.
 */
export function systemDataView(
  category: string,
  data: SystemData,
  options: { previous?: SystemData | null; flagged?: readonly string[]; now?: Date } = {},
): DataSectionView[] {
  const def = categoryByCode(category);
  if (!def) return [];
  const flagged = new Set(options.flagged ?? []);
  const window = licenceWindow(options.now ?? new Date());
  return def.sections.map((section) => ({
    title: section.title,
    rows: section.fields.map((field) => {
      const changed = options.previous ? !same(data[field.code], options.previous[field.code]) : false;
      return {
        code: field.code,
        label: field.label,
        value: displayValue(field, data[field.code] ?? null),
        changed,
        previous:
          changed && options.previous ? displayValue(field, options.previous[field.code] ?? null) : null,
        flagged: flagged.has(field.code),
        expiry: field.code === LICENCE_EXPIRY_FIELD ? expiryOf(data[field.code], window) : null,
      };
    }),
  }));
}

function expiryOf(
  value: FieldValue | undefined,
  window: ReturnType<typeof licenceWindow>,
): DataRowView['expiry'] {
  const kind = licenceExpiry(value, window);
  return kind ? { kind, label: `许可证${LICENCE_EXPIRY_LABELS[kind]}` } : null;
}

/** Full names of region codes (330106 → 浙江省杭州市西湖区). */
export type RegionNames = Readonly<Record<string, string>>;

/** The name of a version's own region_code, as RegionNames (none when there is no name). */
export function regionNameOf(data: SystemData, name: string | null): RegionNames {
  const code = data.region_code;
  return name && code !== undefined && code !== null ? { [String(code)]: name } : {};
}

/** Region fields read 浙江省杭州市西湖区（330106） instead of a bare code, the compared value too. */
export function withRegionNames(
  sections: DataSectionView[],
  category: string,
  names: RegionNames,
): DataSectionView[] {
  const named = (v: string | null): string | null => (v !== null && names[v] ? `${names[v]}（${v}）` : v);
  return sections.map((sec) => ({
    ...sec,
    rows: sec.rows.map((r) =>
      findField(category, r.code)?.widget === 'region'
        ? { ...r, value: named(r.value) ?? r.value, previous: named(r.previous) }
        : r,
    ),
  }));
}

export function changedCount(sections: readonly DataSectionView[]): number {
  return sections.reduce((n, s) => n + s.rows.filter((r) => r.changed).length, 0);
}
