import { countBound, matchCount, matchCountLabel, TEXT_MATCH_BOUND } from '../../src/domain/matchCount';
import { storedListView } from '../../src/routes/viewModels/stored';
import type { StoredList } from '../../src/services/stored';
import { parseStoredQuery } from '../../src/routes/queryParsers';

describe('bounded counts of text searches', () => {
  it('bounds a list’s count only when it searches text', () => {
    expect(countBound(undefined)).toBeNull();
    expect(countBound('尾矿')).toBe(TEXT_MATCH_BOUND);
  });

  it('claims the exact count up to the bound, and 「超过」 the bound past it', () => {
    expect(matchCount(1000, 1000)).toEqual({ count: 1000, exceeds: false });
    expect(matchCount(1001, 1000)).toEqual({ count: 1000, exceeds: true });
    expect(matchCount(250_000, null)).toEqual({ count: 250_000, exceeds: false });
    expect(matchCountLabel({ count: 1000, exceeds: true })).toBe('超过 1,000');
    expect(matchCountLabel({ count: 74676, exceeds: false })).toBe('74,676');
  });

  it('shows 已入库信息查询 beyond the bound as 「超过 1,000 条」 with pages for the counted rows only', () => {
    const list: StoredList = {
      query: parseStoredQuery({ q: '有限公司' }),
      regionSelects: [],
      scopeHasChildren: false,
      total: matchCount(1001, TEXT_MATCH_BOUND),
      page: 1,
      pageSize: 20,
      rows: [],
    };
    const view = storedListView(list);
    expect(view.totalLabel).toBe('超过 1,000');
    expect(view.totalExceeds).toBe(true);
    expect(view.pagination.pageCount).toBe(50);
  });
});
