import { z } from 'zod';
import type { FormInput } from './common';
import { excavation, excavationExample, exploration, explorationExample } from './exploration';
import { oilGasOffshore, oilGasOffshoreExample } from './oilGasOffshore';
import { oilGasOnshore, oilGasOnshoreExample } from './oilGasOnshore';
import { openPit, openPitExample } from './openPit';
import { tailings, tailingsExample } from './tailings';
import type {
  Category,
  CategoryDef,
  CrossRule,
  FieldDef,
  FieldValue,
  SectionDef,
  ValidationResult,
} from './types';
import { underground, undergroundExample } from './underground';
import { queryFields, type QueryField } from './queryFields';

export type * from './types';
export type { FormInput } from './common';
export { MINERALS } from './minerals';
export { proposedTailingsGrade, TAILINGS_GRADES } from './tailings';
export { appliesTo, type QueryField } from './queryFields';

// ---------------------------------------------------------------------------------------------
// The categories, in FIELDS.md order.

export const categories: readonly CategoryDef[] = [
  underground,
  openPit,
  tailings,
  oilGasOnshore,
  oilGasOffshore,
  exploration,
  excavation,
];

const BY_CODE: ReadonlyMap<string, CategoryDef> = new Map(categories.map((c) => [c.code, c]));

export const isCategory = (x: unknown): x is Category => typeof x === 'string' && BY_CODE.has(x);

export const categoryByCode = (code: string): CategoryDef | undefined => BY_CODE.get(code);

export const categoryLabel = (code: string): string => BY_CODE.get(code)?.label ?? code;

const FIELDS = new WeakMap<object, readonly FieldDef[]>();

/** Every field of a form, in display order. */
export function allFields(def: { sections: readonly SectionDef[] }): readonly FieldDef[] {
  let fields = FIELDS.get(def);
  if (!fields) {
    fields = def.sections.flatMap((s) => s.fields);
    FIELDS.set(def, fields);
  }
  return fields;
}

export const findField = (category: string, code: string): FieldDef | undefined => {
  const def = BY_CODE.get(category);
  return def && allFields(def).find((f) => f.code === code);
};

export const fieldLabel = (category: string, code: string): string =>
  findField(category, code)?.label ?? code;

/** 已入库信息查询's filterable fields (stored_systems columns), from the categories' `query`. */
export const STORED_QUERY_FIELDS: readonly QueryField[] = queryFields(categories, allFields, 'filters');
/** The fields 统计分析 counts (stats_* columns), from the categories' `query`. */
export const STATISTICS_FIELDS: readonly QueryField[] = queryFields(categories, allFields, 'statistics');

const statisticsField = (code: string): QueryField | undefined =>
  STATISTICS_FIELDS.find((f) => f.code === code);

/** The categories a statistic counts (the mines for 矿种: MINE_CATEGORIES). */
export const categoriesCounting = (code: string): readonly Category[] => {
  const field = statisticsField(code);
  return field?.categories ?? (field ? categories.map((c) => c.code) : []);
};

/** The metal and non-metal mines: the categories counted by mineral. */
export const MINE_CATEGORIES: readonly Category[] = categoriesCounting('mineral');

/** The fields that sum a system of the category up in one cell of a list. */
export const keyFigureFields = (category: string): readonly string[] =>
  BY_CODE.get(category)?.query.keyFigures ?? [];

const optionLabel = (field: FieldDef, value: string): string =>
  field.options?.find((o) => o.value === value)?.label ?? value;

/** A stored value as users read it: labels for enums, 是/否, units beside numbers, — when empty. */
export function displayValue(field: FieldDef, value: FieldValue | undefined): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    return '—';
  switch (field.type) {
    case 'enum':
      return optionLabel(field, String(value));
    case 'multi':
      return (Array.isArray(value) ? value : [String(value)]).map((v) => optionLabel(field, v)).join('、');
    case 'bool':
      return value === true ? '是' : value === false ? '否' : String(value);
    case 'number':
    case 'integer':
      if (!field.unit) return String(value);
      return field.unit === '°' ? `${value}°` : `${value} ${field.unit}`;
    default:
      return String(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation: one zod schema per field, built from its definition.

const NUMBER_RE = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;
const INTEGER_RE = /^-?\d+$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DEFAULT_TEXT_MAX = 200;
const NUMBER_MAX = 1e12;
const NONE = '无';
const BAD_SHAPE = '格式不正确';
const NOT_AN_OPTION = '请选择列表中的选项';
const TRUE_VALUES = ['true', '1', 'on'];
const BOOL_VALUES = [...TRUE_VALUES, 'false', '0'] as const;

type NonNullValue = Exclude<FieldValue, null>;
type FieldSchema = z.ZodType<NonNullValue, string | string[]>;

function dateError(s: string): string | null {
  const m = DATE_RE.exec(s);
  if (!m) return '日期格式应为 YYYY-MM-DD';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2099) return '日期应在 1900 年至 2099 年之间';
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? null : '日期格式应为 YYYY-MM-DD';
}

function rangeError(f: FieldDef, n: number): string | null {
  const min = f.min ?? 0;
  const max = f.max ?? NUMBER_MAX;
  if (n >= min && n <= max) return null;
  if (f.rangeMessage) return f.rangeMessage;
  if (n < 0 && min >= 0) return '不能为负数';
  if (f.max === undefined) return n > max ? '数值过大' : `不能小于 ${min}`;
  return `应在 ${min}–${max}${f.unit ?? ''} 之间`;
}

/** Runs a message-returning check as a zod refinement. */
const refineWith =
  <T>(check: (v: T) => string | null) =>
  (v: T, ctx: z.RefinementCtx): void => {
    const message = check(v);
    if (message) ctx.addIssue({ code: 'custom', message });
  };

function buildSchema(f: FieldDef): FieldSchema {
  const options = (f.options ?? []).map((o) => o.value) as [string, ...string[]];
  switch (f.type) {
    case 'text': {
      const max = f.maxLength ?? DEFAULT_TEXT_MAX;
      let s = z.string().max(max, `不能超过 ${max} 个字符`);
      if (f.pattern) s = s.regex(f.pattern, f.patternMessage ?? BAD_SHAPE);
      return f.check ? s.superRefine(refineWith(f.check)) : s;
    }
    case 'number':
    case 'integer': {
      let s = z.string().regex(NUMBER_RE, '请输入数字');
      if (f.type === 'integer') s = s.regex(INTEGER_RE, '请输入整数');
      const n = z.number({ error: '数值过大' }).superRefine(refineWith((v: number) => rangeError(f, v)));
      return s.transform(Number).pipe(n);
    }
    case 'date':
      return z.string().superRefine(refineWith(dateError));
    case 'enum':
      return z.enum(options, { error: NOT_AN_OPTION });
    case 'multi':
      return z
        .array(z.enum(options, { error: NOT_AN_OPTION }))
        .transform((vs) => options.filter((o) => vs.includes(o)));
    case 'bool':
      return z.enum(BOOL_VALUES, { error: NOT_AN_OPTION }).transform((v) => TRUE_VALUES.includes(v));
  }
}

const SCHEMAS = new WeakMap<FieldDef, FieldSchema>();

function schemaFor(f: FieldDef): FieldSchema {
  let s = SCHEMAS.get(f);
  if (!s) {
    s = buildSchema(f);
    SCHEMAS.set(f, s);
  }
  return s;
}

interface Normalized {
  /** What to show back in the form. */
  echo: string | string[];
  /** Non-empty input to parse, null when empty, undefined when the input is not form data at all. */
  value: string | string[] | null | undefined;
}

/** Form input → trimmed string(s); numbers and booleans (JSON bodies) are taken as their text. */
function normalize(f: FieldDef, input: unknown): Normalized {
  const scalar = (x: unknown): string | undefined => {
    if (typeof x === 'string') return f.widget === 'password' ? x : x.trim();
    if ((typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean') return String(x);
    return undefined;
  };
  if (input === undefined || input === null) return { echo: f.type === 'multi' ? [] : '', value: null };
  if (f.type === 'multi') {
    const list = (Array.isArray(input) ? input : [input]).map(scalar);
    if (list.some((s) => s === undefined)) return { echo: [], value: undefined };
    const picked = [...new Set(list as string[])].filter((s) => s !== '');
    return { echo: picked, value: picked.length ? picked : null };
  }
  const s = scalar(input);
  if (s === undefined) return { echo: '', value: undefined };
  return { echo: s, value: s === '' ? null : s };
}

const CHOOSE_TYPES = new Set(['enum', 'multi', 'bool']);

function requiredMessage(f: FieldDef): string {
  const name = f.label.replace(/（[^）]*）$/, '');
  return CHOOSE_TYPES.has(f.type) || f.widget === 'region' || f.widget === 'agency'
    ? `请选择${name}`
    : `请填写${name}`;
}

export interface ValidateOptions {
  mode: 'draft' | 'submit';
  /** The filer is an agency filing for an ownerless pond: allowNone text fields accept 无. */
  ownerless?: boolean;
  rules?: readonly CrossRule[];
}

/**
 * Validates form input against field definitions. Only the listed fields are read. Field errors
 * (types, enums, lengths, ranges, dates) count in both modes; required fields and cross-field
 * errors only on submit. Cross-field warnings are reported in both modes.
 */
export function validateFields(
  fields: readonly FieldDef[],
  input: Record<string, unknown>,
  { mode, ownerless = false, rules = [] }: ValidateOptions,
): ValidationResult {
  const source: Record<string, unknown> = input !== null && typeof input === 'object' ? input : {};
  const submit = mode === 'submit';
  const result: ValidationResult = { ok: false, data: {}, errors: {}, warnings: {}, values: {} };
  const { data, errors, warnings, values } = result;

  for (const f of fields) {
    const { echo, value } = normalize(f, Object.hasOwn(source, f.code) ? source[f.code] : undefined);
    values[f.code] = f.widget === 'password' ? '' : echo;
    if (value === undefined) {
      errors[f.code] = BAD_SHAPE;
      continue;
    }
    let parsed: FieldValue = null;
    if (f.allowNone && value === NONE) {
      // 无 stands for "cannot be known" and is only for ownerless ponds; others leave it empty.
      parsed = ownerless ? NONE : null;
    } else if (value !== null) {
      const r = schemaFor(f).safeParse(value);
      if (!r.success) {
        errors[f.code] = r.error.issues[0]?.message ?? BAD_SHAPE;
        continue;
      }
      parsed = r.data;
    }
    data[f.code] = parsed;
    if (parsed === null && f.required && submit) errors[f.code] = requiredMessage(f);
  }

  for (const rule of rules) {
    for (const issue of rule(data)) {
      if (errors[issue.field]) continue;
      if (issue.level === 'warning') warnings[issue.field] ??= issue.message;
      else if (submit) errors[issue.field] = issue.message;
    }
  }
  result.ok = Object.keys(errors).length === 0;
  return result;
}

/** Validates a production system's form for its category. */
export function validateSystem(
  category: Category,
  input: Record<string, unknown>,
  mode: 'draft' | 'submit',
  opts: { ownerless?: boolean } = {},
): ValidationResult {
  const def = BY_CODE.get(category);
  if (!def) throw new Error(`unknown category: ${String(category)}`);
  return validateFields(allFields(def), input, { mode, ownerless: opts.ownerless, rules: def.rules });
}

// ---------------------------------------------------------------------------------------------
// Examples: a complete, valid form input per category (tests and the demo seed reuse them).

const EXAMPLES: Record<Category, () => FormInput> = {
  underground: undergroundExample,
  open_pit: openPitExample,
  tailings: tailingsExample,
  oil_gas_onshore: oilGasOnshoreExample,
  oil_gas_offshore: oilGasOffshoreExample,
  exploration: explorationExample,
  excavation: excavationExample,
};

/** A fresh copy on each call: callers may change it. */
export const exampleSystemData = (category: Category): FormInput => EXAMPLES[category]();
