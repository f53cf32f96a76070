import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { allFields, categoryByCode, displayValue, type Category, type FieldDef } from '../domain/systems';
import type { StoredExportRow } from '../data/stored';

/**
 * The .xlsx of 已入库信息查询: one sheet per category, streamed with exceljs' WorkbookWriter so
 * that a national export (≈100,000 rows) never sits in memory: rows are committed as each
 * batch arrives, and the writer waits for the response to drain between batches. Shared
 * strings are off (they would be held until the end); styles are on (dates need a format).
 */

export interface SheetSource {
  category: Category;
  batches: () => AsyncIterable<StoredExportRow[]>;
}

type CellValue = string | number | Date | null;

interface ColumnDef {
  header: string;
  width: number;
  numFmt?: string;
  value: (row: StoredExportRow) => CellValue;
}

const DATE_FORMAT = 'yyyy-mm-dd';
const MAX_WIDTH = 36;

/** Display width in Excel's units: a CJK character is about two Latin ones. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) < 0x100 ? 1 : 2;
  return w;
}

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

function column(header: string, minWidth: number, value: ColumnDef['value'], numFmt?: string): ColumnDef {
  // Headers wrap onto two lines, so a long one needs only about half its width.
  const w = textWidth(header);
  const headerWidth = w <= 16 ? w + 2 : Math.ceil(w / 2) + 3;
  return { header, width: Math.min(MAX_WIDTH, Math.max(minWidth, headerWidth)), value, numFmt };
}

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

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6EEF8' } };

async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain) await once(out, 'drain');
}

export async function writeStoredWorkbook(out: Writable, sheets: readonly SheetSource[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = '非煤矿山安全生产基本情况普查系统';
  workbook.created = new Date();
  for (const sheet of sheets) {
    const def = categoryByCode(sheet.category);
    const columns = columnsFor(sheet.category);
    const ws = workbook.addWorksheet(def?.label ?? sheet.category, {
      views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
    });
    ws.columns = columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    const header = ws.addRow(columns.map((c) => c.header));
    header.height = 36;
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    });
    header.commit();
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    for await (const batch of sheet.batches()) {
      for (const row of batch) ws.addRow(columns.map((c) => c.value(row))).commit();
      await drained(out);
    }
    ws.commit();
  }
  await workbook.commit();
}
