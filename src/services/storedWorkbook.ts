import type { Writable } from 'node:stream';
import { allFields, categoryByCode, displayValue, type Category, type FieldDef } from '../domain/systems';
import type { StoredExportRow } from '../data/stored';
import {
  column as anyColumn,
  writeStreamedWorkbook,
  type ColumnDef as AnyColumnDef,
} from './streamedWorkbook';

/**
 * The .xlsx of 已入库信息查询: one sheet per category, streamed (services/streamedWorkbook.ts)
 * so that a national export (≈100,000 rows) never sits in memory.
 */

export interface SheetSource {
  category: Category;
  batches: () => AsyncIterable<StoredExportRow[]>;
}

type ColumnDef = AnyColumnDef<StoredExportRow>;
const column = anyColumn<StoredExportRow>;

const DATE_FORMAT = 'yyyy-mm-dd';

/** 'YYYY-MM-DD' → that calendar day as a Date at UTC midnight (exceljs converts from UTC). */
function excelDate(iso: unknown): Date | null {
  if (typeof iso !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

const chinaDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
/** A moment → its calendar day in China. */
const chinaDate = (d: Date): Date | null => excelDate(chinaDay.format(new Date(d)));

/** 设计总库容（万m³）: the label with its unit, as a header. */
function headerOf(field: FieldDef): string {
  return field.unit ? `${field.label}（${field.unit}）` : field.label;
}

const MIN_WIDTH: Record<FieldDef['type'], number> = {
  text: 16,
  number: 10,
  integer: 10,
  date: 12,
  enum: 10,
  multi: 24,
  bool: 8,
};
const WIDE_TEXT: Record<string, number> = { name: 32, address: 36, operator: 24, qualification: 28 };

/** A field of the frozen data as a typed cell: numbers as numbers, dates as dates, labels for codes. */
function fieldColumn(field: FieldDef): ColumnDef {
  const min = WIDE_TEXT[field.code] ?? MIN_WIDTH[field.type];
  const raw = (row: StoredExportRow) => row.data[field.code];
  switch (field.type) {
    case 'number':
    case 'integer':
      return column(headerOf(field), min, (row) =>
        typeof raw(row) === 'number' ? (raw(row) as number) : null,
      );
    case 'date':
      return column(headerOf(field), min, (row) => excelDate(raw(row)), DATE_FORMAT);
    case 'text':
      return column(headerOf(field), min, (row) => {
        const v = raw(row);
        return v === null || v === undefined || v === '' ? null : String(v);
      });
    default: {
      return column(headerOf(field), min, (row) => {
        const shown = displayValue(field, raw(row) ?? null);
        return shown === '—' ? null : shown;
      });
    }
  }
}

/** The sheet's columns: who and when first, then every field of the category's form. */
export function columnsFor(category: Category): ColumnDef[] {
  const def = categoryByCode(category);
  if (!def) throw new Error(`unknown category ${category}`);
  const fields = allFields(def);
  const nameField = fields.find((f) => f.code === 'name');
  const rest = fields.filter((f) => f.code !== 'name' && f.code !== 'region_code');
  return [
    // The version's own name column: the data's copy of it may lag a rename.
    column(nameField?.label ?? '独立生产系统名称', WIDE_TEXT.name, (r) => r.name),
    column('企业名称', 30, (r) => r.enterprise_name),
    column('统一社会信用代码', 20, (r) => r.credit_code),
    column('所在行政区划', 24, (r) => r.region_name),
    column('直接监管部门', 26, (r) => r.agency_name),
    column('入库日期', 12, (r) => chinaDate(r.stored_at), DATE_FORMAT),
    column('入库版本', 8, (r) => r.version),
    ...rest.map(fieldColumn),
  ];
}

export function writeStoredWorkbook(out: Writable, sheets: readonly SheetSource[]): Promise<void> {
  return writeStreamedWorkbook(
    out,
    sheets.map((sheet) => ({
      name: categoryByCode(sheet.category)?.label ?? sheet.category,
      columns: columnsFor(sheet.category),
      batches: sheet.batches,
    })),
  );
}
