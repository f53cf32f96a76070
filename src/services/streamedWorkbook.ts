import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * An .xlsx streamed with exceljs' WorkbookWriter, so that a large export never sits in memory:
 * rows are committed as each batch arrives, and the writer waits for the response to drain
 * between batches. Shared strings are off (they would be held until the end); styles are on
 * (dates need a format). Used by 已入库信息查询 and 安全审计.
 */

export type CellValue = string | number | Date | null;

export interface ColumnDef<Row> {
  header: string;
  width: number;
  numFmt?: string;
  value: (row: Row) => CellValue;
}

export interface StreamedSheet<Row> {
  name: string;
  columns: readonly ColumnDef<Row>[];
  batches: () => AsyncIterable<readonly Row[]>;
}

const MAX_WIDTH = 36;

/** Display width in Excel's units: a CJK character is about two Latin ones. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) < 0x100 ? 1 : 2;
  return w;
}

export function column<Row>(
  header: string,
  minWidth: number,
  value: ColumnDef<Row>['value'],
  numFmt?: string,
): ColumnDef<Row> {
  // Headers wrap onto two lines, so a long one needs only about half its width.
  const w = textWidth(header);
  const headerWidth = w <= 16 ? w + 2 : Math.ceil(w / 2) + 3;
  return { header, width: Math.min(MAX_WIDTH, Math.max(minWidth, headerWidth)), value, numFmt };
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6EEF8' } };

async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain) await once(out, 'drain');
}

/** Writes the sheets (bold wrapped header row, frozen with the first column, autofilter). */
export async function writeStreamedWorkbook<Row>(
  out: Writable,
  sheets: readonly StreamedSheet<Row>[],
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = '非煤矿山安全生产基本情况普查系统';
  workbook.created = new Date();
  for (const sheet of sheets) {
    const { columns } = sheet;
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ width: c.width }));
    // One style object per column, given to each of its cells: exceljs knows a style object it has
    // seen (a WeakMap) and renders any other to XML to find its id — with the style each new cell
    // gets, that was a quarter of a large export's time (bench/README.md).
    const cellStyles: Partial<ExcelJS.Style>[] = columns.map((c) => (c.numFmt ? { numFmt: c.numFmt } : {}));
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
      for (const row of batch) {
        const added = ws.addRow(columns.map((c) => c.value(row)));
        added.eachCell((cell, col) => (cell.style = cellStyles[col - 1]));
        added.commit();
      }
      await drained(out);
    }
    ws.commit();
  }
  await workbook.commit();
}
