/**
 * A census row of 统计分析 as the page shows it, from the counts a test knows by construction:
 * [已填报, 县级, 市级, 省级, 总局, 小计, 已退回, 已入库, 入库率, 最久待审 (days), 未提交]. The
 * items waiting were all filed today, so the oldest has waited 0 days.
 */
export function censusRow(
  filed: number,
  review: [county: number, city: number, province: number, national: number],
  returned: number,
  stored: number,
  notFiled: number,
): string[] {
  const waiting = review.reduce((a, b) => a + b, 0);
  const rate = filed === 0 ? '—' : `${(Math.round((stored / filed) * 1000) / 10).toFixed(1)}%`;
  return [filed, ...review, waiting, returned, stored]
    .map(String)
    .concat(rate, waiting ? '0' : '—', String(notFiled));
}
