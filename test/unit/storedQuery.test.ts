import { parseStoredQuery, parseTrackingQuery } from '../../src/routes/queryParsers';
import { refuseNotUnderstood } from '../../src/routes/listFilters';
import { columnsFor } from '../../src/services/storedWorkbook';
import { attachment } from '../../src/routes/xlsx';
import { keyFigure, storedParams } from '../../src/routes/viewModels/stored';
import { BadRequest } from '../../src/domain/errors';

describe('parseStoredQuery', () => {
  it('reads every filter and falls back to the default sort, direction and page', () => {
    const q = parseStoredQuery({
      province: '330000',
      category: 'tailings',
      grade: '3',
      safety_degree: 'sick',
      overhead: 'yes',
      licence: 'expiring',
      q: '  尾矿  ',
      sort: 'bogus',
      page: '-3',
    });
    expect(q).toMatchObject({
      region: { province: '330000' },
      category: 'tailings',
      enums: { grade: '3', safety_degree: 'sick' },
      overhead: 'yes',
      licence: 'expiring',
      q: '尾矿',
      sort: 'stored',
      dir: 'desc',
      page: 1,
    });
  });

  it('drops filters that do not apply to the chosen category', () => {
    const q = parseStoredQuery({
      category: 'tailings',
      mineral: 'iron',
      scale: 'large',
      production_status: 'closed',
    });
    expect(q.enums).toEqual({ production_status: 'closed' });
    expect(parseStoredQuery({ category: 'open_pit', overhead: 'yes', grade: '2' })).toMatchObject({
      overhead: undefined,
      enums: {},
    });
  });

  it('ignores and names values no form offers, repeated parameters and overlong text', () => {
    expect(parseStoredQuery({ mineral: 'coal' })).toMatchObject({ enums: {}, notUnderstood: ['主要矿种'] });
    expect(parseStoredQuery({ category: ['tailings', 'open_pit'] })).toMatchObject({
      category: undefined,
      notUnderstood: ['类别'],
    });
    expect(parseStoredQuery({ licence: 'soon' }).notUnderstood).toEqual(['安全生产许可证']);
    expect(parseStoredQuery({ q: 'x'.repeat(51) })).toMatchObject({ q: undefined });
    expect(parseStoredQuery({ category: 'tailings' }).notUnderstood).toEqual([]);
  });

  it('refuses an export with a filter it did not understand', () => {
    expect(() => refuseNotUnderstood(parseStoredQuery({ grade: '9' }).notUnderstood)).toThrow(BadRequest);
    expect(() => refuseNotUnderstood(parseStoredQuery({ grade: '1' }).notUnderstood)).not.toThrow();
  });

  it('round-trips through the URL parameters, leaving defaults out', () => {
    const q = parseStoredQuery({ category: 'underground', mineral: 'gold', sort: 'name', page: '2' });
    expect(storedParams(q, { province: '330000' })).toEqual({
      province: '330000',
      category: 'underground',
      mineral: 'gold',
      overhead: undefined,
      licence: undefined,
      q: undefined,
      sort: 'name',
      dir: undefined,
      page: 2,
    });
  });
});

describe('parseTrackingQuery', () => {
  it('accepts the tracking statuses and refuses others', () => {
    expect(parseTrackingQuery({ status: 'lower_returned', page: '3' })).toMatchObject({
      status: 'lower_returned',
      page: 3,
    });
    expect(parseTrackingQuery({ status: 'lost', category: 'coal' })).toMatchObject({
      status: undefined,
      category: undefined,
      notUnderstood: ['追踪状态', '类别'],
    });
  });
});

describe('the export columns', () => {
  it('name each field in Chinese with its unit, after who and when', () => {
    const headers = columnsFor('tailings').map((c) => c.header);
    expect(headers.slice(0, 7)).toEqual([
      '独立生产系统名称',
      '企业名称',
      '统一社会信用代码',
      '所在行政区划',
      '直接监管部门',
      '入库日期',
      '入库版本',
    ]);
    expect(headers).toContain('设计总库容（万m³）');
    expect(headers).toContain('防洪标准（重现期）（年）');
    expect(headers).not.toContain('region_code');
    expect(new Set(headers).size).toBe(headers.length);
  });

  it('formats dates as dates and keeps every width readable', () => {
    const cols = columnsFor('underground');
    expect(cols.find((c) => c.header === '采矿许可证有效期止')?.numFmt).toBe('yyyy-mm-dd');
    for (const c of cols) expect(c.width).toBeGreaterThanOrEqual(8);
    for (const c of cols) expect(c.width).toBeLessThanOrEqual(36);
  });
});

describe('small view rules', () => {
  it('sums a system up per category', () => {
    expect(keyFigure('underground', { mineral: 'iron', scale: 'medium' })).toBe('铁 · 中型');
    expect(keyFigure('tailings', { grade: '4', safety_degree: 'normal', overhead: true })).toBe(
      '四等 · 正常库 · 头顶库',
    );
    expect(keyFigure('exploration', {})).toBe('—');
  });

  it('names the download in Chinese with an ASCII fallback (RFC 5987)', () => {
    expect(attachment('已入库信息_尾矿库(1).xlsx', 'stored.xlsx')).toBe(
      'attachment; filename="stored.xlsx"; filename*=UTF-8\'\'%E5%B7%B2%E5%85%A5%E5%BA%93%E4%BF%A1%E6%81%AF_%E5%B0%BE%E7%9F%BF%E5%BA%93%281%29.xlsx',
    );
  });
});
