/**
 * /stats.xlsx: the page's tables, one sheet each, from the same report and in the same order
 * as the page. Numbers are numbers (the 入库率 a fraction formatted as a percentage), headers
 * are Chinese and the header row is frozen.
 */
import ExcelJS from 'exceljs';
import {
  CENSUS_COLUMNS,
  censusColumnsFor,
  CENSUS_DEFINITIONS,
  censusValue,
  sortCensusRows,
  type CensusSort,
} from '../../domain/stats';
import type { CensusRow, Distribution, StatsReport } from '../../services/stats';
import { viewHelpers } from '../viewHelpers';
import { exportFileName } from '../../domain/exportName';
import { LICENCE_WARNING_DAYS } from '../../domain/licence';

type Value = string | number | null;

interface Column {
  header: string;
  width: number;
  numFmt?: string;
}

function addSheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Value[][]): void {
  const sheet = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width,
    style: c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  for (const r of rows) sheet.addRow(r);
}

const censusColumns = (offshore: boolean): Column[] => [
  { header: '地区/单位', width: 24 },
  { header: '部门代码', width: 12 },
  ...censusColumnsFor(offshore).map((c) => ({
    header: `${c.review ? '审核中-' : ''}${c.label}${c.unit ? `（${c.unit}）` : ''}`,
    width: c.key === 'oldest' ? 14 : 11,
    numFmt: c.key === 'rate' ? '0.0%' : '0',
  })),
];

function censusRow(row: CensusRow): Value[] {
  return [
    row.label,
    row.kind === 'total' || row.kind === 'direct' ? '' : row.code,
    ...CENSUS_COLUMNS.map((c) => (c.key === 'rate' ? row.rate : censusValue(row, c.key))),
  ];
}

const count = (label: string): Column[] => [
  { header: label, width: 22 },
  { header: '数量', width: 10, numFmt: '0' },
];
const distributionRows = (d: readonly Distribution[]): Value[][] => d.map((x) => [x.label, x.count]);

export function statsWorkbook(report: StatsReport, sort: CensusSort): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '非煤矿山安全生产基本情况普查系统';
  wb.created = report.asOf;
  const { census, safety: s } = report;

  addSheet(wb, '普查进度', censusColumns(report.scope.offshore), [
    ...sortCensusRows(census.rows, sort).map(censusRow),
    ...(census.direct ? [censusRow(census.direct)] : []),
    censusRow(census.total),
  ]);
  addSheet(
    wb,
    '类别',
    [...count('类别'), { header: '占比', width: 10, numFmt: '0.0%' }],
    s.categories.map((c) => [c.label, c.count, s.storedTotal === 0 ? null : c.count / s.storedTotal]),
  );
  addSheet(
    wb,
    '矿山矿种',
    [{ header: '矿种分组', width: 14 }, ...count('矿种')],
    s.minerals.flatMap((g) => g.minerals.map((m): Value[] => [g.group, m.label, m.count])),
  );
  addSheet(wb, '矿山规模', count('生产规模'), distributionRows(s.scales));
  addSheet(wb, '尾矿库等别', count('等别'), distributionRows(s.grades));
  addSheet(wb, '尾矿库安全度', count('安全度'), distributionRows(s.safetyDegrees));
  addSheet(
    wb,
    '头顶库',
    [
      { header: '头顶库数量', width: 14, numFmt: '0' },
      { header: '下游1公里内人数', width: 18, numFmt: '0' },
    ],
    [[s.overhead.ponds, s.overhead.people]],
  );
  addSheet(wb, '许可证预警', count('安全生产许可证'), [
    ['已过期', s.licences.expired],
    [`${LICENCE_WARNING_DAYS}天内到期`, s.licences.expiring],
  ]);
  addSheet(wb, '生产状态', count('生产状态'), distributionRows(s.productionStatus));
  addSheet(
    wb,
    '说明',
    [
      { header: '项目', width: 16 },
      { header: '说明', width: 90 },
    ],
    [
      ['统计范围', `${report.trail.map((t) => t.label).join(' › ')}（${report.scope.name}）`],
      ['数据时间', viewHelpers.dateTime(report.asOf)],
      ...CENSUS_DEFINITIONS.map((d): Value[] => [d.term, d.text]),
      ['安全状况', '类别、矿种、规模、等别、安全度、头顶库、许可证和生产状态均按已入库版本的数据统计。'],
    ],
  );
  return wb;
}

/** 统计分析-浙江省-2026-11-29.xlsx (domain/exportName.ts) */
export function statsWorkbookName(report: StatsReport): string {
  return exportFileName('统计分析', report.scope.label, [], report.asOf);
}
