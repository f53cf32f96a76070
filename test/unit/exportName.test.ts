import { exportFileName } from '../../src/domain/exportName';

describe('Excel file names', () => {
  it('read what, where, what was picked and the day in China, in one style', () => {
    // 2026-12-03 17:30 UTC is already 12-04 in China.
    const evening = new Date('2026-12-03T17:30:00Z');
    expect(exportFileName('已入库信息', '浙江省', ['尾矿库'], evening)).toBe(
      '已入库信息-浙江省-尾矿库-2026-12-04.xlsx',
    );
    expect(exportFileName('统计分析', '全国', [], evening)).toBe('统计分析-全国-2026-12-04.xlsx');
    expect(exportFileName('已入库信息', '全国', [''], evening)).toBe('已入库信息-全国-2026-12-04.xlsx');
  });
});
