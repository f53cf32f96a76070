import type { FieldDef, SectionDef } from '../../domain/systems';
import type { AgencyGroup, PickerOption, RegionPicker } from '../../services/orgPickers';

/**
 * One renderer for every form defined by field definitions: the seven production-system
 * categories, registration and 企业基本信息. The definitions say what a field is; this turns a
 * definition plus what was typed (and errors, warnings, return flags) into plain objects that
 * views/partials/systemForm.ejs renders without any rule of its own.
 */

export type Control =
  | 'text'
  | 'number'
  | 'date'
  | 'select'
  | 'radios'
  | 'checkboxes'
  | 'checkbox'
  | 'password'
  | 'region'
  | 'agency'
  | 'readonly';

export interface OptionView {
  value: string;
  label: string;
  selected: boolean;
}

export interface OptionGroupView {
  /** null: options not grouped (no <optgroup>). */
  label: string | null;
  options: OptionView[];
}

export interface SelectView {
  id: string;
  name: string;
  label: string;
  options: OptionView[];
  disabled: boolean;
}

export interface RegionPickerView {
  province: SelectView;
  city: SelectView;
  county: SelectView;
  fullName: string;
}

export interface FieldView {
  code: string;
  /** The id of the element an error link should focus. */
  anchor: string;
  label: string;
  control: Control;
  required: boolean;
  unit: string | null;
  help: string | null;
  placeholder: string | null;
  maxLength: number | null;
  inputMode: 'decimal' | 'numeric' | null;
  value: string;
  groups: OptionGroupView[];
  error: string | null;
  warning: string | null;
  /** A server-computed remark shown beside the field (e.g. the proposed tailings grade). */
  note: string | null;
  /** A return pointed at this field. */
  flagged: boolean;
  /** Spans the whole row of the section grid. */
  wide: boolean;
  region: RegionPickerView | null;
}

export interface SectionView {
  id: string;
  title: string;
  fields: FieldView[];
}

export interface ErrorLink {
  href: string;
  label: string;
  message: string;
}

export interface FormState {
  /** What to show: strings (or string lists for multi fields) as typed or as stored. */
  values: Record<string, unknown>;
  errors?: Record<string, string>;
  warnings?: Record<string, string>;
  notes?: Record<string, string>;
  flagged?: readonly string[];
  picker?: RegionPicker;
  agencyGroups?: readonly AgencyGroup[];
  /** Shown but not editable (the credit code on 企业基本信息). */
  readonly?: readonly string[];
  /** Yes/no fields shown as one checkbox rather than 是/否 radios (registration's 无主尾矿库). */
  checkboxes?: readonly string[];
  /** Extra help per field, replacing the definition's. */
  help?: Record<string, string>;
}

/** A stored value (number, boolean, list, null) as the form shows it. */
export function formValue(field: FieldDef, value: unknown): string | string[] {
  if (field.type === 'multi')
    return Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [];
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return Array.isArray(value) ? '' : String(value);
}

/** Stored data (a system's draft, an enterprise row) as form values. */
export function formValues(
  sections: readonly SectionDef[],
  data: Record<string, unknown>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const s of sections) for (const f of s.fields) out[f.code] = formValue(f, data[f.code]);
  return out;
}

const asString = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const asList = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string' && v
      ? [v]
      : [];

const BOOL_OPTIONS = [
  { value: 'true', label: '是' },
  { value: 'false', label: '否' },
];

/** true/1/on all mean yes (validateFields accepts them); the radios show them as 是. */
function boolValue(v: unknown): string {
  const s = asString(v);
  return ['true', '1', 'on'].includes(s) ? 'true' : ['false', '0'].includes(s) ? 'false' : '';
}

function optionGroups(field: FieldDef, chosen: (value: string) => boolean): OptionGroupView[] {
  const groups: OptionGroupView[] = [];
  for (const o of field.options ?? []) {
    const label = o.group ?? null;
    let group = groups[groups.length - 1];
    if (!group || group.label !== label) {
      group = { label, options: [] };
      groups.push(group);
    }
    group.options.push({ value: o.value, label: o.label, selected: chosen(o.value) });
  }
  return groups;
}

const toOptions = (options: readonly PickerOption[], selected: string): OptionView[] =>
  options.map((o) => ({ value: o.value, label: o.label, selected: o.value === selected }));

export function regionPickerView(picker: RegionPicker | undefined): RegionPickerView {
  const p = picker ?? {
    provinces: [],
    cities: [],
    counties: [],
    selected: { province: '', city: '', county: '' },
    code: '',
    fullName: '',
  };
  return {
    province: {
      id: 'region_province',
      name: 'region_province',
      label: '省（自治区、直辖市）',
      options: toOptions(p.provinces, p.selected.province),
      disabled: false,
    },
    city: {
      id: 'region_city',
      name: 'region_city',
      label: '市（地区、州）',
      options: toOptions(p.cities, p.selected.city),
      disabled: p.cities.length === 0,
    },
    county: {
      id: 'region_code',
      name: 'region_code',
      label: '县（市、区）',
      options: toOptions(p.counties, p.selected.county),
      disabled: p.counties.length === 0,
    },
    fullName: p.fullName,
  };
}

function controlOf(field: FieldDef, state: FormState): Control {
  if (state.readonly?.includes(field.code)) return 'readonly';
  if (field.widget === 'region') return 'region';
  if (field.widget === 'agency') return 'agency';
  if (field.widget === 'password') return 'password';
  switch (field.type) {
    case 'number':
    case 'integer':
      return 'number';
    case 'date':
      return 'date';
    case 'enum':
      return 'select';
    case 'multi':
      return 'checkboxes';
    case 'bool':
      return state.checkboxes?.includes(field.code) ? 'checkbox' : 'radios';
    default:
      return 'text';
  }
}

/** The element to focus for a field's error: the first select of the region picker still open. */
function anchorOf(field: FieldDef, control: Control, region: RegionPickerView | null): string {
  if (control === 'region' && region) {
    if (!region.province.options.some((o) => o.selected)) return region.province.id;
    if (!region.city.options.some((o) => o.selected)) return region.city.id;
    return region.county.id;
  }
  return field.code;
}

export function fieldView(field: FieldDef, state: FormState): FieldView {
  const control = controlOf(field, state);
  const raw = state.values[field.code];
  const value = field.type === 'bool' ? boolValue(raw) : field.type === 'multi' ? '' : asString(raw);
  let groups: OptionGroupView[] = [];
  if (control === 'select') groups = optionGroups(field, (v) => v === value);
  else if (control === 'radios')
    groups = [{ label: null, options: BOOL_OPTIONS.map((o) => ({ ...o, selected: o.value === value })) }];
  else if (control === 'checkboxes') {
    const picked = asList(raw);
    groups = optionGroups(field, (v) => picked.includes(v));
  } else if (control === 'agency')
    groups = (state.agencyGroups ?? []).map((g) => ({
      label: g.label,
      options: toOptions(g.options, value),
    }));
  const region = control === 'region' ? regionPickerView(state.picker) : null;
  return {
    code: field.code,
    anchor: anchorOf(field, control, region),
    label: field.label,
    control,
    required: Boolean(field.required) && control !== 'readonly',
    unit: field.unit ?? null,
    help: state.help?.[field.code] ?? field.help ?? null,
    placeholder: field.placeholder ?? null,
    maxLength: control === 'text' || control === 'password' ? (field.maxLength ?? 200) : null,
    inputMode: field.type === 'integer' ? 'numeric' : field.type === 'number' ? 'decimal' : null,
    value: control === 'password' ? '' : value,
    groups,
    error: state.errors?.[field.code] ?? null,
    warning: state.warnings?.[field.code] ?? null,
    note: state.notes?.[field.code] ?? null,
    flagged: state.flagged?.includes(field.code) ?? false,
    wide: control === 'checkboxes' || control === 'region',
    region,
  };
}

/** Section ids are stable per position so that the page can link to them. */
export function formSectionsView(sections: readonly SectionDef[], state: FormState): SectionView[] {
  return sections.map((s, i) => ({
    id: `section-${i + 1}`,
    title: s.title,
    fields: s.fields.map((f) => fieldView(f, state)),
  }));
}

/**
 * The error summary's links, in the order of the form; errors of fields the form does not
 * define (the captcha) come last with their own labels.
 */
export function errorLinks(
  sections: readonly SectionView[],
  errors: Record<string, string>,
  extraLabels: Record<string, string> = {},
): ErrorLink[] {
  const links: ErrorLink[] = [];
  const seen = new Set<string>();
  for (const s of sections)
    for (const f of s.fields)
      if (errors[f.code]) {
        // “请填写企业名称” needs no “企业名称：” before it.
        links.push({
          href: `#${f.anchor}`,
          label: errors[f.code].includes(f.label) ? '' : f.label,
          message: errors[f.code],
        });
        seen.add(f.code);
      }
  for (const [code, message] of Object.entries(errors))
    if (!seen.has(code)) links.push({ href: `#${code}`, label: extraLabels[code] ?? '', message });
  return links;
}

export interface FormView {
  sections: SectionView[];
  errorLinks: ErrorLink[];
}

/** A whole defined form: its sections and the error summary's links. */
export function formView(
  sections: readonly SectionDef[],
  state: FormState & { extraLabels?: Record<string, string> },
): FormView {
  const views = formSectionsView(sections, state);
  return { sections: views, errorLinks: errorLinks(views, state.errors ?? {}, state.extraLabels) };
}
