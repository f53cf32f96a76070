/** Shapes shared by every filing form: one definition drives rendering and validation. */

export type FieldType = 'text' | 'number' | 'integer' | 'date' | 'enum' | 'multi' | 'bool';

export interface Option {
  value: string;
  label: string;
  group?: string;
}

export interface FieldDef {
  code: string;
  label: string;
  type: FieldType;
  required?: boolean;
  unit?: string;
  options?: readonly Option[];
  maxLength?: number;
  min?: number;
  max?: number;
  /** Message when min/max is not met (default: "不能为负数" / "应在 min–max 之间"). */
  rangeMessage?: string;
  help?: string;
  pattern?: RegExp;
  patternMessage?: string;
  /** Extra check of a non-empty text value; returns a Chinese message or null. */
  check?: (value: string) => string | null;
  placeholder?: string;
  /** Ownerless filers (agencies) may type 无 in this text field. */
  allowNone?: boolean;
  /** Rendered specially by the app: region picker, agency select, password input. */
  widget?: 'region' | 'agency' | 'password';
}

export interface SectionDef {
  title: string;
  fields: readonly FieldDef[];
}

export type Category =
  | 'underground'
  | 'open_pit'
  | 'tailings'
  | 'oil_gas_onshore'
  | 'oil_gas_offshore'
  | 'exploration'
  | 'excavation';

export type FieldValue = string | number | boolean | string[] | null;
export type SystemData = Record<string, FieldValue>;

/** A finding of a cross-field rule, attached to the field at fault. */
export interface Issue {
  field: string;
  message: string;
  level: 'error' | 'warning';
}

/**
 * A rule across fields. It sees only the fields that parsed (null when empty) and runs in both
 * modes: its errors count only on submit, its warnings are reported always.
 */
export type CrossRule = (data: SystemData) => readonly Issue[];

export interface CategoryDef {
  code: Category;
  label: string;
  shortLabel?: string;
  sections: readonly SectionDef[];
  rules?: readonly CrossRule[];
  /**
   * What the queries take from a stored version (domain/systems/queryFields.ts derives the
   * stored query's columns and filters, the list's key figure and the statistics from it).
   */
  query: CategoryQueryFields;
}

export interface CategoryQueryFields {
  /** 已入库信息查询 filters this category by these fields (each a column of stored_systems). */
  filters: readonly string[];
  /** The fields that sum a system up in one cell of a list, in order. */
  keyFigures: readonly string[];
  /** 统计分析 counts these fields of this category (each a stats_* column of system_versions). */
  statistics: readonly string[];
}

export interface ValidationResult {
  ok: boolean;
  /** Parsed, typed values of the known fields that parsed (null when empty). */
  data: SystemData;
  /** Field code → Chinese message. */
  errors: Record<string, string>;
  warnings: Record<string, string>;
  /** What the user typed, to re-render the form. */
  values: Record<string, string | string[]>;
}
