import { listUrl, parseListParams } from '../../src/routes/viewModels/review';
import { shortRegion } from '../../src/services/review';
import { containsPattern } from '../../src/data/textSearch';

describe('the pending list URL', () => {
  it('reads the filters it knows and ignores the rest', () => {
    expect(
      parseListParams({
        state: 'upper_returned',
        category: 'tailings',
        region: '330106',
        q: '  金鸡岭 ',
        sort: 'name',
        page: '3',
        selected: '42',
      }),
    ).toMatchObject({
      arrival: 'upper_returned',
      category: 'tailings',
      region: '330106',
      text: '金鸡岭',
      sort: 'name',
      page: 3,
      selected: 42,
      notUnderstood: [],
    });
    expect(
      parseListParams({
        state: 'stored',
        category: 'coal',
        region: '../x',
        sort: 'drop',
        page: '-1',
        selected: 'a',
      }),
    ).toMatchObject({
      arrival: undefined,
      category: undefined,
      region: undefined,
      text: undefined,
      sort: 'waiting',
      page: 1,
      selected: undefined,
    });
    expect(parseListParams({ q: ['a', 'b'] })).toMatchObject({ text: undefined, notUnderstood: ['关键字'] });
    expect(parseListParams({ q: 'x'.repeat(80) })).toMatchObject({
      text: undefined,
      notUnderstood: ['关键字（不能超过 50 个字符）'],
    });
    expect(parseListParams({ state: 'bogus', category: 'coal' }).notUnderstood).toEqual(['状态', '类别']);
  });

  it('writes the filters back, leaving defaults out', () => {
    const p = parseListParams({ state: 'lower_submitted', q: '矿', region: '330106' });
    expect(listUrl(p)).toBe('/review?state=lower_submitted&region=330106&q=%E7%9F%BF');
    expect(listUrl(p, { page: 2, selected: 9 })).toBe(
      '/review?state=lower_submitted&region=330106&q=%E7%9F%BF&page=2&selected=9',
    );
    expect(listUrl(parseListParams({}))).toBe('/review');
    expect(listUrl(parseListParams({ sort: 'recent' }))).toBe('/review?sort=recent');
  });
});

describe('list helpers', () => {
  it("drops the agency's own region from the names it shows", () => {
    expect(shortRegion('浙江省杭州市西湖区', '浙江省杭州市')).toBe('西湖区');
    expect(shortRegion('浙江省杭州市西湖区', '浙江省杭州市西湖区')).toBe('浙江省杭州市西湖区');
    expect(shortRegion('北京市东城区', null)).toBe('北京市东城区');
    expect(shortRegion(null, '浙江省')).toBe('—');
  });

  it('treats % and _ typed by a user as plain characters', () => {
    expect(containsPattern('50%_矿')).toBe('%50\\%\\_矿%');
  });
});
