import {
  categoryChart,
  cspSafeSvg,
  CHART_FONT,
  progressChart,
  PROGRESS_SERIES,
  safetyDegreeChart,
} from '../../src/routes/viewModels/charts';
import {
  refreshNote,
  censusListHref,
  statsHref,
  statsXlsxHref,
  storedHref,
} from '../../src/routes/viewModels/stats';
import { censusFigureList, type CensusFigureContext, type CensusSortKey } from '../../src/domain/stats';

const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

function expectCspSafe(svg: string): void {
  expect(svg).not.toMatch(/ style="/);
  expect(svg).not.toContain('<style');
  expect(svg).not.toContain('<script');
  expect(svg).not.toMatch(/ class="zr/);
}

describe('server-rendered charts', () => {
  it('draws census progress as stacked bars with the four series and every region', () => {
    const svg = progressChart(
      [
        { label: '西湖区', stored: 3, review: 4, returned: 2, notFiled: 1 },
        { label: '拱墅区', stored: 1, review: 1, returned: 0, notFiled: 1 },
      ],
      '杭州市普查进度',
    );
    const labels = texts(svg);
    for (const s of PROGRESS_SERIES) expect(labels).toContain(s.name);
    expect(PROGRESS_SERIES.map((s) => s.name)).toEqual(['已入库', '审核中', '已退回', '未提交']);
    expect(labels).toEqual(expect.arrayContaining(['西湖区', '拱墅区']));
    expect(svg).toMatch(/^<svg role="img" aria-label="杭州市普查进度"/);
    expect(svg).toContain('<title>杭州市普查进度</title>');
    expect(svg).toContain(`font-family="${CHART_FONT}"`);
    expectCspSafe(svg);
  });

  it('grows the progress chart with the number of rows, so that 34 provinces stay legible', () => {
    const height = (n: number) =>
      Number(
        progressChart(
          Array.from({ length: n }, (_, i) => ({
            label: `地区${i}`,
            stored: i,
            review: 1,
            returned: 1,
            notFiled: 1,
          })),
        ).match(/height="(\d+)"/)![1],
      );
    expect(height(34)).toBeGreaterThanOrEqual(34 * 24);
    expect(height(1)).toBeLessThan(300);
  });

  it('draws the category share with counts and percentages, leaving empty categories out', () => {
    const svg = categoryChart([
      { label: '尾矿库', count: 3 },
      { label: '金属非金属露天矿山', count: 1 },
      { label: '海洋石油天然气', count: 0 },
    ]);
    const labels = texts(svg);
    expect(labels).toEqual(
      expect.arrayContaining(['尾矿库', '金属非金属露天矿山', '3（75.0%）', '1（25.0%）']),
    );
    expect(labels).not.toContain('海洋石油天然气');
    expectCspSafe(svg);
  });

  it('draws the tailings safety degrees in their order, warnings in amber and red', () => {
    const svg = safetyDegreeChart([
      { label: '正常库', count: 5, tone: 'normal' },
      { label: '病库', count: 2, tone: 'warning' },
      { label: '险库', count: 0, tone: 'danger' },
      { label: '危库', count: 1, tone: 'danger' },
    ]);
    const labels = texts(svg);
    expect(labels.filter((l) => /库$/.test(l))).toEqual(['正常库', '病库', '险库', '危库']);
    expect(svg).toContain('fill="#c0392b"');
    expect(svg).toContain('fill="#d68910"');
    expectCspSafe(svg);
  });
});

describe('cspSafeSvg', () => {
  it('turns style attributes into presentation attributes and drops style blocks and ECharts metadata', () => {
    const raw =
      '<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg">' +
      '<text style="font-size:12px;font-family:Noto Sans CJK SC, sans-serif;font-weight:bold;cursor:pointer;" class="zr0-cls-1" ecmeta_series_index="0">浙江</text>' +
      '<style ><![CDATA[ .zr0-cls-1:hover { fill: red; } ]]></style></svg>';
    const safe = cspSafeSvg(raw, '标题 "A" <B>');
    expect(safe).toBe(
      '<svg role="img" aria-label="标题 &quot;A&quot; &lt;B&gt;" width="10" height="10" xmlns="http://www.w3.org/2000/svg">' +
        '<title>标题 &quot;A&quot; &lt;B&gt;</title>' +
        '<text font-size="12px" font-family="Noto Sans CJK SC, sans-serif" font-weight="bold">浙江</text></svg>',
    );
  });
});

describe('statistics links', () => {
  it('sends each waiting level to the list where the viewer can see it, narrowed to the bucket', () => {
    const city: Pick<CensusFigureContext, 'viewer'> = { viewer: { code: '330100', reviewLevel: 'city' } };
    const own: CensusFigureContext = { ...city, scope: { code: '330100', isViewer: true, isLeaf: false } };
    const href = (
      ctx: CensusFigureContext,
      kind: 'child' | 'direct' | 'total',
      code: string,
      key: CensusSortKey,
    ) => {
      const target = censusFigureList(ctx, { kind, code }, key);
      return target && censusListHref(target);
    };
    expect(href(own, 'child', '330106', 'city')).toBe('/review?region=330106&census=review');
    expect(href(own, 'direct', '330100', 'city')).toBe('/review?direct=1&census=review');
    expect(href(own, 'total', '330100', 'city')).toBe('/review?census=review');
    expect(href(own, 'child', '330105', 'province')).toBe(
      '/tracking?status=upper_pending&region=330105&level=province&census=review',
    );
    expect(href(own, 'total', '330100', 'national')).toBe(
      '/tracking?status=upper_pending&level=national&census=review',
    );
    expect(href(own, 'child', '330106', 'county')).toBeNull();
    expect(href(own, 'child', '330106', 'returned')).toBeNull();
    expect(href(own, 'child', '330106', 'stored')).toBe('/stored?region=330106');
    // A province drilled down into a city: every row is narrowed within that city.
    const drilled: CensusFigureContext = {
      viewer: { code: '330000', reviewLevel: 'province' },
      scope: { code: '330100', isViewer: false, isLeaf: false },
    };
    expect(href(drilled, 'direct', '330100', 'province')).toBe(
      '/review?region=330100&direct=1&census=review',
    );
    expect(href(drilled, 'total', '330100', 'province')).toBe('/review?region=330100&census=review');
    expect(href(drilled, 'direct', '330100', 'stored')).toBe('/stored?region=330100&direct=1');
  });

  it('uses the stored query’s agreed parameter names', () => {
    expect(storedHref('330106', { category: 'tailings', safety_degree: 'critical' })).toBe(
      '/stored?region=330106&category=tailings&safety_degree=critical',
    );
    expect(storedHref(undefined, { overhead: '1' })).toBe('/stored?overhead=1');
    expect(storedHref(undefined)).toBe('/stored');
  });

  it('keeps the region and a non-default sort when drilling and exporting', () => {
    expect(statsHref(undefined)).toBe('/stats');
    expect(statsHref('330100', { key: 'rate', descending: false })).toBe('/stats?region=330100&sort=rate');
    expect(statsXlsxHref('330100', { key: 'stored', descending: true })).toBe(
      '/stats.xlsx?region=330100&sort=-stored',
    );
  });
});

describe('the statistics refresh note', () => {
  it('says how soon a fresh approval is counted, and nothing when figures are computed per request', () => {
    expect(refreshNote(60)).toBe('统计数据每 1 分钟更新一次，刚完成的审核、入库约 1 分钟内计入。');
    expect(refreshNote(45)).toBe('统计数据每 45 秒更新一次，刚完成的审核、入库约 45 秒内计入。');
    expect(refreshNote(0)).toBeNull();
  });
});
