// Every Excel download is named the same way: what it is, for where, what was picked, the day in
// China — 已入库信息-浙江省-尾矿库-2026-12-03.xlsx, 统计分析-全国-2026-12-03.xlsx.

const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

export function exportFileName(what: string, scope: string, picked: readonly string[], day: Date): string {
  return `${[what, scope, ...picked.filter(Boolean), CHINA_DAY.format(day)].join('-')}.xlsx`;
}
