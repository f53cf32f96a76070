import {
  REQ,
  choices,
  commonExample,
  commonRules,
  commonSections,
  int,
  miningExample,
  miningQuery,
  miningRules,
  miningSections,
  num,
  oneOf,
  yesNo,
} from './common';
import type { FormInput } from './common';
import type { CategoryDef } from './types';

export const openPit: CategoryDef = {
  code: 'open_pit',
  label: '金属非金属露天矿山',
  shortLabel: '露天矿山',
  sections: [
    ...commonSections(),
    ...miningSections,
    {
      title: '采场与边坡',
      fields: [
        oneOf(
          'pit_type',
          '露天类型',
          choices([
            ['hillside', '山坡露天'],
            ['depression', '凹陷露天'],
            ['both', '山坡+凹陷'],
          ]),
          REQ,
        ),
        yesNo('small_quarry', '小型露天采石场', { help: '生产规模不超过50万t/a的山坡型露天采石场。' }),
        num('bench_height', '台阶高度', 'm', REQ),
        num('max_slope_height', '边坡最大高度', 'm', REQ),
        num('final_slope_angle', '最终边坡角', '°', { min: 0, max: 90 }),
      ],
    },
    {
      title: '爆破与运输',
      fields: [
        oneOf(
          'blasting',
          '爆破方式',
          choices([
            ['deep_hole', '中深孔爆破'],
            ['shallow_hole', '浅孔爆破'],
            ['mechanical', '机械开采（不爆破）'],
          ]),
          REQ,
        ),
        oneOf(
          'loading',
          '铲装方式',
          choices([
            ['mechanical', '机械'],
            ['manual', '人工'],
          ]),
        ),
        oneOf(
          'haulage',
          '运输方式',
          choices([
            ['truck', '汽车'],
            ['rail', '铁路'],
            ['belt', '胶带'],
            ['ore_pass', '溜井'],
            ['combined', '联合'],
          ]),
        ),
      ],
    },
    {
      title: '排土场',
      fields: [
        int('dump_count', '排土场数量', '个'),
        num('dump_max_height', '排土场最大堆置高度', 'm'),
        num('dump_volume', '排土场总容积', '万m³'),
      ],
    },
  ],
  rules: [...commonRules, ...miningRules],
  query: miningQuery,
};

export const openPitExample = (): FormInput => ({
  ...commonExample({
    name: '长兴某某建筑石料矿',
    region_code: '330522',
    address: '浙江省湖州市长兴县某某镇某某村',
    longitude: '119.912',
    latitude: '31.017',
  }),
  ...miningExample('construction_aggregate', '200', '186', 'large'),
  pit_type: 'hillside',
  small_quarry: 'false',
  bench_height: '15',
  max_slope_height: '120',
  final_slope_angle: '55',
  blasting: 'deep_hole',
  loading: 'mechanical',
  haulage: 'truck',
  dump_count: '1',
  dump_max_height: '40',
  dump_volume: '85',
});
