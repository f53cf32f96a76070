/**
 * Charts for 统计分析, rendered on the server as SVG by Apache ECharts' server-side renderer:
 * no client-side charting, nothing to run in the browser, the markup goes into the page inline.
 *
 * The strict CSP (style-src 'self') blocks `style="…"` attributes and <style> elements, also
 * inside inline SVG, and ECharts' SSR output uses both (text fonts as style attributes, hover
 * effects as a <style> block). `cspSafeSvg` rewrites the former into SVG presentation
 * attributes and drops the latter (hover effects are meaningless without script anyway).
 */
import * as echarts from 'echarts';
import { formatNumber } from '../viewHelpers';

/** No quotes: ECharts copies the family verbatim into a double-quoted attribute. */
export const CHART_FONT = 'PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Noto Sans SC, sans-serif';

const COLORS = {
  stored: '#2e8b57',
  review: '#2367ad',
  returned: '#c0392b',
  notFiled: '#9aa4ae',
  text: '#1f2328',
  axis: '#59636e',
  grid: '#dde3ea',
};

// SVG presentation attributes ECharts' text styles map to.
const PRESENTATION = new Set([
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'opacity',
]);

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function styleToAttributes(style: string): string {
  return style
    .split(';')
    .map((decl) => {
      const at = decl.indexOf(':');
      if (at < 0) return '';
      const prop = decl.slice(0, at).trim().toLowerCase();
      const value = decl.slice(at + 1).trim();
      return PRESENTATION.has(prop) && value ? ` ${prop}="${escapeAttr(value)}"` : '';
    })
    .join('');
}

/** ECharts' SSR SVG, made acceptable to a strict CSP and labelled for assistive technology. */
export function cspSafeSvg(svg: string, title: string): string {
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_m, style: string) => styleToAttributes(style))
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/<svg /, `<svg role="img" aria-label="${escapeAttr(title)}" `)
    .replace(/(<svg[^>]*>)/, `$1<title>${escapeAttr(title).replace(/"/g, '&quot;')}</title>`);
}

/** Renders one option to CSP-safe SVG markup; the chart instance is always disposed. */
export function renderChart(
  option: echarts.EChartsCoreOption,
  width: number,
  height: number,
  title: string,
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: CHART_FONT, fontSize: 13, color: COLORS.text },
      ...option,
    });
    return cspSafeSvg(chart.renderToSVGString(), title);
  } finally {
    chart.dispose();
  }
}

const axisText = { color: COLORS.axis, fontFamily: CHART_FONT, fontSize: 13 };

export interface ProgressBar {
  label: string;
  stored: number;
  review: number;
  returned: number;
  notFiled: number;
}

export const PROGRESS_SERIES = [
  { key: 'stored', name: '已入库', color: COLORS.stored },
  { key: 'review', name: '审核中', color: COLORS.review },
  { key: 'returned', name: '已退回', color: COLORS.returned },
  { key: 'notFiled', name: '未提交', color: COLORS.notFiled },
] as const;

export const PROGRESS_WIDTH = 760;

/**
 * Rendering a chart costs tens of milliseconds of CPU; the statistics behind a page change
 * rarely, so the same chart of the same figures is drawn once and its SVG reused.
 */
const drawn = new Map<string, string>();
function memoChart<A extends unknown[]>(kind: string, draw: (...args: A) => string): (...args: A) => string {
  return (...args: A) => {
    const key = `${kind}|${JSON.stringify(args)}`;
    let svg = drawn.get(key);
    if (svg === undefined) {
      svg = draw(...args);
      if (drawn.size >= 200) drawn.delete(drawn.keys().next().value as string);
      drawn.set(key, svg);
    }
    return svg;
  };
}

/** 普查进度 by region: one horizontal stacked bar per row, in the table's order, top down. */
export const progressChart = memoChart('progress', drawProgressChart);
export const categoryChart = memoChart('category', drawCategoryChart);
export const safetyDegreeChart = memoChart('safetyDegree', drawSafetyDegreeChart);

function drawProgressChart(bars: readonly ProgressBar[], title = '各地区普查进度'): string {
  const height = Math.max(180, 84 + bars.length * 26);
  return renderChart(
    {
      legend: { top: 8, itemGap: 24, textStyle: axisText },
      grid: { left: 12, right: 28, top: 44, bottom: 12, containLabel: true },
      xAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: axisText,
        splitLine: { lineStyle: { color: COLORS.grid } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: bars.map((b) => b.label),
        axisLabel: { ...axisText, color: COLORS.text, interval: 0 },
        axisTick: { show: false },
      },
      series: PROGRESS_SERIES.map((s) => ({
        name: s.name,
        type: 'bar',
        stack: 'census',
        barMaxWidth: 18,
        itemStyle: { color: s.color },
        data: bars.map((b) => b[s.key]),
      })),
    },
    PROGRESS_WIDTH,
    height,
    title,
  );
}

export interface Slice {
  label: string;
  count: number;
}

/**
 * 类别构成: one horizontal bar per category with its count and share, largest first. Bars
 * rather than a pie: the long category names stay whole on the axis instead of being cut.
 */
function drawCategoryChart(slices: readonly Slice[], title = '已入库系统类别构成'): string {
  const data = slices.filter((s) => s.count > 0).sort((a, b) => b.count - a.count);
  const total = data.reduce((sum, s) => sum + s.count, 0);
  const share = (n: number): string => `${(Math.round((n / total) * 1000) / 10).toFixed(1)}%`;
  return renderChart(
    {
      grid: { left: 12, right: 104, top: 8, bottom: 8, containLabel: true },
      // The counts stand at the end of the bars: no value axis to crowd the narrow chart.
      xAxis: { type: 'value', show: false },
      yAxis: {
        type: 'category',
        inverse: true,
        data: data.map((s) => s.label),
        axisLabel: { ...axisText, color: COLORS.text, interval: 0 },
        axisTick: { show: false },
      },
      series: [
        {
          name: '已入库系统数',
          type: 'bar',
          barMaxWidth: 22,
          itemStyle: { color: COLORS.review },
          label: {
            show: true,
            position: 'right',
            fontFamily: CHART_FONT,
            fontSize: 13,
            color: COLORS.text,
            formatter: (p: { value: unknown }) =>
              `${formatNumber(Number(p.value))}（${share(Number(p.value))}）`,
          },
          data: data.map((s) => s.count),
        },
      ],
    },
    460,
    Math.max(160, 40 + data.length * 34),
    title,
  );
}

export interface DegreeBar {
  label: string;
  count: number;
  /** 危库 / 险库 / 病库 are warnings: drawn in red and amber. */
  tone: 'normal' | 'warning' | 'danger';
}

const TONE_COLORS: Record<DegreeBar['tone'], string> = {
  normal: '#2e8b57',
  warning: '#d68910',
  danger: '#c0392b',
};

/** 尾矿库安全度: one bar per degree with its count on top. */
function drawSafetyDegreeChart(bars: readonly DegreeBar[], title = '尾矿库安全度分布'): string {
  return renderChart(
    {
      grid: { left: 12, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: bars.map((b) => b.label),
        axisLabel: { ...axisText, color: COLORS.text },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: axisText,
        splitLine: { lineStyle: { color: COLORS.grid } },
      },
      series: [
        {
          name: '尾矿库数量',
          type: 'bar',
          barMaxWidth: 44,
          label: { show: true, position: 'top', fontFamily: CHART_FONT, fontSize: 13, color: COLORS.text },
          data: bars.map((b) => ({ value: b.count, itemStyle: { color: TONE_COLORS[b.tone] } })),
        },
      ],
    },
    460,
    300,
    title,
  );
}
