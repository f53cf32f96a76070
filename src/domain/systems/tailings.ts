import {
  REQ,
  COMMON_QUERY_FIELDS,
  choices,
  commonExample,
  commonRules,
  commonSections,
  date,
  int,
  notGreaterThan,
  num,
  oneOf,
  requiredWhen,
  someOf,
  yesNo,
} from './common';
import type { FormInput } from './common';
import { computeTailingsGrade } from '../tailingsGrade';
import type { CategoryDef, CrossRule, SystemData } from './types';
const GRADE_NAMES = ['', '一', '二', '三', '四', '五'];

export const TAILINGS_GRADES = choices(
  [1, 2, 3, 4, 5].map((g) => [String(g), `${GRADE_NAMES[g]}等`] as const),
);

/** The grade the design capacity and dam height call for, or null while either is missing. */
export function proposedTailingsGrade(data: Record<string, unknown>): number | null {
  const v = toNumber(data.design_capacity);
  const h = toNumber(data.design_dam_height);
  return v === null || h === null ? null : computeTailingsGrade(v, h);
}

function toNumber(x: unknown): number | null {
  const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

const gradeMatchesDesign: CrossRule = (d: SystemData) => {
  const proposed = proposedTailingsGrade(d);
  return typeof d.grade === 'string' && proposed !== null && d.grade !== String(proposed)
    ? [
        {
          field: 'grade',
          message: `按设计库容和坝高计算应为${GRADE_NAMES[proposed]}等，与填写不一致`,
          level: 'warning',
        },
      ]
    : [];
};

export const tailings: CategoryDef = {
  code: 'tailings',
  label: '尾矿库',
  sections: [
    ...commonSections(),
    {
      title: '尾矿库基本情况',
      fields: [
        oneOf(
          'pond_type',
          '尾矿库类型',
          choices([
            ['valley', '山谷型'],
            ['hillside', '傍山型'],
            ['flat', '平地型'],
            ['river', '截河型'],
          ]),
          REQ,
        ),
        oneOf(
          'stacking',
          '堆存方式',
          choices([
            ['wet', '湿排'],
            ['dry', '干式堆存'],
          ]),
          REQ,
        ),
        oneOf(
          'operation_status',
          '运行状况',
          choices([
            ['building', '在建'],
            ['operating', '在用'],
            ['idle', '停用'],
            ['closed', '已闭库'],
          ]),
          REQ,
        ),
        num('design_capacity', '设计总库容', '万m³', REQ),
        num('current_capacity', '现状库容', '万m³', REQ),
        oneOf('grade', '尾矿库等别', TAILINGS_GRADES, {
          ...REQ,
          help: '按设计总库容和设计总坝高确定（AQ 2006、GB 50863）：两者等别相差一等时取高者，相差两等及以上时取高者降低一等；一等库须经专家论证确定。',
        }),
      ],
    },
    {
      title: '坝体',
      fields: [
        oneOf(
          'dam_method',
          '筑坝方式',
          choices([
            ['upstream', '上游式'],
            ['centerline', '中线式'],
            ['downstream', '下游式'],
            ['one_time', '一次建坝'],
          ]),
          REQ,
        ),
        num('design_dam_height', '设计总坝高', 'm', REQ),
        num('current_dam_height', '现状坝高', 'm', REQ),
        num('starter_dam_height', '初期坝高', 'm'),
      ],
    },
    {
      title: '防洪与监测',
      fields: [
        int('flood_standard', '防洪标准（重现期）', '年'),
        someOf(
          'drainage',
          '排洪设施',
          choices([
            ['well', '排水井'],
            ['chute', '排水斜槽'],
            ['pipe', '排水管'],
            ['tunnel', '排水隧洞'],
            ['spillway', '溢洪道'],
            ['intercept', '截洪沟'],
          ]),
        ),
        yesNo('online_monitoring', '在线监测系统'),
      ],
    },
    {
      title: '安全状况',
      fields: [
        oneOf(
          'safety_degree',
          '安全度',
          choices([
            ['normal', '正常库'],
            ['sick', '病库'],
            ['dangerous', '险库'],
            ['critical', '危库'],
          ]),
          { ...REQ, help: '按最近一次安全现状评价结论填写。' },
        ),
        date('last_assessment_date', '最近安全现状评价日期'),
      ],
    },
    {
      title: '下游情况',
      fields: [
        yesNo('overhead', '头顶库（下游1公里内有居民或重要设施）', {
          ...REQ,
          help: '头顶库：下游1公里（含）以内有居民或重要设施的尾矿库。',
        }),
        int('downstream_households', '下游1公里内户数', '户', { help: '头顶库必须填写。' }),
        int('downstream_people', '下游1公里内人数', '人', { help: '头顶库必须填写。' }),
      ],
    },
  ],
  rules: [
    ...commonRules,
    notGreaterThan('current_capacity', 'design_capacity', '现状库容不能大于设计总库容'),
    notGreaterThan('current_dam_height', 'design_dam_height', '现状坝高不能大于设计总坝高'),
    notGreaterThan('starter_dam_height', 'design_dam_height', '初期坝高不能大于设计总坝高'),
    requiredWhen((d) => d.overhead === true, {
      downstream_households: '头顶库应填写下游1公里内户数',
      downstream_people: '头顶库应填写下游1公里内人数',
    }),
    gradeMatchesDesign,
  ],
  query: {
    filters: ['grade', 'safety_degree', 'overhead', ...COMMON_QUERY_FIELDS],
    keyFigures: ['grade', 'safety_degree', 'overhead'],
    statistics: ['grade', 'safety_degree', 'overhead', 'downstream_people', ...COMMON_QUERY_FIELDS],
  },
};

export const tailingsExample = (): FormInput => ({
  ...commonExample({
    name: '龙游某某铁矿尾矿库',
    region_code: '330825',
    address: '浙江省衢州市龙游县某某乡某某坑',
    longitude: '119.172',
    latitude: '29.031',
  }),
  pond_type: 'valley',
  stacking: 'wet',
  operation_status: 'operating',
  design_capacity: '156',
  current_capacity: '82.4',
  grade: '4',
  dam_method: 'upstream',
  design_dam_height: '48',
  current_dam_height: '31.5',
  starter_dam_height: '12',
  flood_standard: '200',
  drainage: ['well', 'tunnel', 'intercept'],
  online_monitoring: 'true',
  safety_degree: 'normal',
  last_assessment_date: '2024-09-20',
  overhead: 'true',
  downstream_households: '36',
  downstream_people: '112',
});
