import {
  addGroup,
  censusBucket,
  censusValue,
  daysWaiting,
  emptyCounts,
  foldSafety,
  formatRate,
  groupMinerals,
  nextSort,
  parseSort,
  reviewLevelOf,
  scopeLabel,
  sortCensusRows,
  storedRate,
  sumCounts,
  type CensusGroup,
  type SafetyGroup,
  type SortableCensusRow,
} from '../../src/domain/stats';
import { licenceExpiry, licenceWindow } from '../../src/domain/licence';

const group = (over: Partial<CensusGroup>): CensusGroup => ({
  hasStored: false,
  state: 'pending',
  arrival: 'enterprise_submitted',
  waitingLevel: 'county',
  waitingDepth: 3,
  count: 1,
  since: new Date('2026-11-01T00:00:00Z'),
  ...over,
});

describe('census buckets', () => {
  it('partitions every position: stored first, then draft, returned, under review', () => {
    expect(censusBucket({ hasStored: true, state: 'pending', arrival: 'enterprise_submitted' })).toBe(
      'stored',
    );
    expect(censusBucket({ hasStored: true, state: 'draft', arrival: null })).toBe('stored'); // a change
    expect(censusBucket({ hasStored: false, state: 'stored', arrival: null })).toBe('stored');
    expect(censusBucket({ hasStored: false, state: 'draft', arrival: null })).toBe('notFiled');
    expect(censusBucket({ hasStored: false, state: 'returned', arrival: null })).toBe('returned');
    expect(censusBucket({ hasStored: false, state: 'pending', arrival: 'upper_returned' })).toBe('returned');
    expect(censusBucket({ hasStored: false, state: 'pending', arrival: 'lower_submitted' })).toBe('review');
    expect(censusBucket({ hasStored: false, state: 'pending', arrival: 'enterprise_submitted' })).toBe(
      'review',
    );
  });

  it('maps offshore units to the level they stand in for, by depth', () => {
    expect(reviewLevelOf('county', 2)).toBe('county'); // a municipality's district
    expect(reviewLevelOf('national', 0)).toBe('national');
    expect(reviewLevelOf('offshore', 1)).toBe('province'); // 海油安办
    expect(reviewLevelOf('offshore', 2)).toBe('city'); // 分部
    expect(reviewLevelOf('offshore', 3)).toBe('county'); // 监督处
  });

  it('adds groups so that filed = review + returned + stored and tracks the oldest wait', () => {
    const c = emptyCounts();
    addGroup(c, group({ count: 2, since: new Date('2026-11-10T00:00:00Z') }));
    addGroup(
      c,
      group({ waitingLevel: 'offshore', waitingDepth: 1, since: new Date('2026-10-01T00:00:00Z') }),
    );
    addGroup(c, group({ arrival: 'upper_returned', since: new Date('2020-01-01T00:00:00Z') }));
    addGroup(c, group({ state: 'returned', arrival: null, waitingLevel: null, count: 3 }));
    addGroup(c, group({ hasStored: true, state: 'stored', arrival: null, waitingLevel: null, count: 5 }));
    addGroup(c, group({ state: 'draft', arrival: null, waitingLevel: null, count: 4 }));
    expect(c).toMatchObject({
      total: 16,
      notFiled: 4,
      filed: 12,
      review: { county: 2, city: 0, province: 1, national: 0 },
      reviewTotal: 3,
      returned: 4,
      stored: 5,
    });
    expect(c.filed).toBe(c.reviewTotal + c.returned + c.stored);
    // Only filings under review count for the oldest wait (not the one being returned).
    expect(c.oldestSince).toEqual(new Date('2026-10-01T00:00:00Z'));

    const sum = sumCounts([c, c]);
    expect(sum).toMatchObject({ total: 32, filed: 24, reviewTotal: 6, review: { county: 4, province: 2 } });
    expect(sum.oldestSince).toEqual(c.oldestSince);
    expect(sumCounts([]).oldestSince).toBeNull();
  });
});

describe('formatting', () => {
  it('rates stored against filed, with one decimal', () => {
    expect(storedRate({ filed: 0, stored: 0 })).toBeNull();
    expect(storedRate({ filed: 3, stored: 1 })).toBeCloseTo(1 / 3);
    expect(formatRate(1 / 3)).toBe('33.3%');
    expect(formatRate(2 / 3)).toBe('66.7%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(null)).toBe('—');
  });

  it('counts whole days waited', () => {
    const now = new Date('2026-11-29T10:00:00Z');
    expect(daysWaiting(null, now)).toBeNull();
    expect(daysWaiting(new Date('2026-11-29T01:00:00Z'), now)).toBe(0);
    expect(daysWaiting(new Date('2026-11-19T10:00:00Z'), now)).toBe(10);
    expect(daysWaiting(new Date('2026-12-01T00:00:00Z'), now)).toBe(0);
  });

  it('takes "today" in China and the 90-day horizon after it', () => {
    // 2026-11-29 20:00 UTC is already 11-30 in Beijing.
    expect(licenceWindow(new Date('2026-11-29T20:00:00Z'))).toEqual({
      today: '2026-11-30',
      horizon: '2027-02-28',
    });
    expect(licenceWindow(new Date('2026-11-29T10:00:00Z'))).toEqual({
      today: '2026-11-29',
      horizon: '2027-02-27',
    });
  });

  it('classes a licence as expired before today, expiring up to the horizon, else valid', () => {
    const w = { today: '2026-11-30', horizon: '2027-02-28' };
    expect(licenceExpiry('2026-11-29', w)).toBe('expired');
    expect(licenceExpiry('2026-11-30', w)).toBe('expiring');
    expect(licenceExpiry('2027-02-28', w)).toBe('expiring');
    expect(licenceExpiry('2027-03-01', w)).toBeNull();
    expect(licenceExpiry(null, w)).toBeNull();
    expect(licenceExpiry('无', w)).toBeNull();
  });

  it('names a scope by its region, else by its own name without the department suffix', () => {
    expect(scopeLabel({ name: '国家安全生产监督管理总局', depth: 0 }, null)).toBe('全国');
    expect(scopeLabel({ name: '浙江省安全生产监督管理局', depth: 1 }, '浙江省')).toBe('浙江省');
    expect(scopeLabel({ name: '新疆生产建设兵团安全生产监督管理局', depth: 1 }, null)).toBe(
      '新疆生产建设兵团',
    );
    expect(scopeLabel({ name: '国家安全监管总局海洋石油作业安全办公室', depth: 1 }, null)).toBe(
      '海洋石油作业安全办公室',
    );
    expect(scopeLabel({ name: '天津监督处', depth: 3 }, null)).toBe('天津监督处');
  });
});

describe('sorting the census table', () => {
  const row = (
    order: number,
    filed: number,
    stored: number,
    oldestDays: number | null,
  ): SortableCensusRow => {
    const counts = { ...emptyCounts(), filed, stored };
    return { order, counts, rate: storedRate(counts), oldestDays };
  };
  const rows = [row(0, 10, 5, 3), row(1, 0, 0, null), row(2, 4, 4, 12), row(3, 10, 2, 3)];
  const orders = (sort: string) => sortCensusRows(rows, parseSort(sort)).map((r) => r.order);

  it('parses ?sort=, falling back to the tree order', () => {
    expect(parseSort('-rate')).toEqual({ key: 'rate', descending: true });
    expect(parseSort('county')).toEqual({ key: 'county', descending: false });
    expect(parseSort('bogus')).toEqual({ key: 'name', descending: false });
    expect(parseSort(['rate'])).toEqual({ key: 'name', descending: false });
    expect(parseSort(undefined)).toEqual({ key: 'name', descending: false });
  });

  it('sorts by a column, ties in tree order, rows without a figure last in both directions', () => {
    expect(orders('')).toEqual([0, 1, 2, 3]);
    expect(orders('rate')).toEqual([3, 0, 2, 1]);
    expect(orders('-rate')).toEqual([2, 0, 3, 1]);
    expect(orders('-filed')).toEqual([0, 3, 2, 1]);
    expect(orders('-oldest')).toEqual([2, 0, 3, 1]);
    expect(orders('oldest')).toEqual([0, 3, 2, 1]);
  });

  it('toggles the current column; a new column starts with laggards first', () => {
    expect(nextSort({ key: 'stored', descending: true }, 'stored')).toEqual({
      key: 'stored',
      descending: false,
    });
    expect(nextSort({ key: 'name', descending: false }, 'oldest')).toEqual({
      key: 'oldest',
      descending: true,
    });
    expect(nextSort({ key: 'name', descending: false }, 'rate')).toEqual({ key: 'rate', descending: false });
  });

  it('reads each column from the counts', () => {
    const r = {
      ...row(7, 9, 3, 4),
      counts: { ...emptyCounts(), filed: 9, stored: 3, reviewTotal: 2, returned: 1 },
    };
    r.counts.review.city = 2;
    expect(censusValue(r, 'city')).toBe(2);
    expect(censusValue(r, 'review')).toBe(2);
    expect(censusValue(r, 'returned')).toBe(1);
    expect(censusValue(r, 'oldest')).toBe(4);
    expect(censusValue(r, 'name')).toBe(7);
  });
});

describe('safety figures', () => {
  const g = (over: Partial<SafetyGroup>): SafetyGroup => ({
    category: 'open_pit',
    mineral: 'limestone',
    scale: 'small',
    grade: null,
    safetyDegree: null,
    productionStatus: 'producing',
    overhead: null,
    licence: null,
    count: 1,
    people: 0,
    ...over,
  });

  it('folds groups into one tally per figure, each over the categories it is about', () => {
    const c = foldSafety([
      g({ count: 3 }),
      g({ category: 'underground', mineral: 'gold', scale: 'large', licence: 'expired' }),
      g({
        category: 'tailings',
        mineral: null,
        scale: null,
        grade: '4',
        safetyDegree: 'critical',
        overhead: true,
        people: 120,
        count: 2,
      }),
      g({
        category: 'tailings',
        mineral: null,
        scale: null,
        grade: '3',
        safetyDegree: 'normal',
        overhead: false,
        licence: 'expiring',
      }),
      // Fields a category does not have are not counted even if present in the data.
      g({ category: 'exploration', mineral: 'iron', scale: 'large', grade: '2', productionStatus: 'closed' }),
    ]);
    expect(c.categories).toEqual(
      new Map([
        ['open_pit', 3],
        ['underground', 1],
        ['tailings', 3],
        ['exploration', 1],
      ]),
    );
    expect(c.minerals).toEqual(
      new Map([
        ['limestone', 3],
        ['gold', 1],
      ]),
    );
    expect(c.scales).toEqual(
      new Map([
        ['small', 3],
        ['large', 1],
      ]),
    );
    expect(c.grades).toEqual(
      new Map([
        ['4', 2],
        ['3', 1],
      ]),
    );
    expect(c.safetyDegrees).toEqual(
      new Map([
        ['critical', 2],
        ['normal', 1],
      ]),
    );
    expect(c.overhead).toEqual({ ponds: 2, people: 120 });
    expect(c.licences).toEqual({ expired: 1, expiring: 1 });
    expect(c.productionStatus).toEqual(
      new Map([
        ['producing', 7],
        ['closed', 1],
      ]),
    );
  });

  it('groups minerals in the form’s order, leaving out empty ones, unknown values under 其他', () => {
    const groups = groupMinerals(
      new Map<string | null, number>([
        ['limestone', 2],
        ['iron', 1],
        ['gold', 0],
        ['unobtainium', 1],
        [null, 1],
      ]),
    );
    expect(groups.map((x) => [x.group, x.count])).toEqual([
      ['黑色金属', 1],
      ['建材非金属', 2],
      ['其他', 2],
    ]);
    expect(groups[0].minerals).toEqual([{ code: 'iron', label: '铁', count: 1, known: true }]);
    expect(groups[2].minerals).toEqual([
      { code: 'unobtainium', label: 'unobtainium', count: 1, known: false },
      { code: '', label: '未填写', count: 1, known: false },
    ]);
  });
});
