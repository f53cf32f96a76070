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
  someOf,
  yesNo,
} from './common';
import type { FormInput } from './common';
import type { CategoryDef } from './types';

export const underground: CategoryDef = {
  code: 'underground',
  label: '金属非金属地下矿山',
  shortLabel: '地下矿山',
  sections: [
    ...commonSections(),
    ...miningSections,
    {
      title: '开拓与开采',
      fields: [
        oneOf(
          'mining_method_kind',
          '开采方式',
          choices([
            ['underground', '地下'],
            ['combined', '地下露天联合'],
          ]),
          REQ,
        ),
        oneOf(
          'development',
          '开拓方式',
          choices([
            ['adit', '平硐'],
            ['shaft', '竖井'],
            ['incline', '斜井'],
            ['ramp', '斜坡道'],
            ['combined', '联合'],
          ]),
          REQ,
        ),
        oneOf(
          'stoping',
          '采矿方法',
          choices([
            ['open_stope', '空场法'],
            ['fill', '充填法'],
            ['caving', '崩落法'],
          ]),
          REQ,
        ),
        oneOf(
          'hoisting',
          '提升方式',
          choices([
            ['cage', '罐笼'],
            ['skip', '箕斗'],
            ['mine_car', '串车'],
            ['belt', '胶带'],
            ['trackless', '无轨'],
          ]),
        ),
        num('max_depth', '最大开采深度', 'm', REQ),
        int('max_underground_workers', '井下最多同时作业人数', '人', REQ),
      ],
    },
    {
      title: '通风',
      fields: [
        oneOf(
          'ventilation_system',
          '通风系统',
          choices([
            ['central', '中央式'],
            ['diagonal', '对角式'],
            ['zoned', '分区式'],
            ['mixed', '混合式'],
          ]),
          REQ,
        ),
        oneOf(
          'ventilation_method',
          '通风方法',
          choices([
            ['exhaust', '抽出式'],
            ['forced', '压入式'],
            ['push_pull', '抽压混合式'],
          ]),
          REQ,
        ),
        num('total_airflow', '总风量', 'm³/s'),
      ],
    },
    {
      title: '安全状况',
      fields: [
        someOf(
          'six_systems',
          '安全避险"六大系统"',
          choices([
            ['monitoring', '监测监控'],
            ['positioning', '人员定位'],
            ['refuge', '紧急避险'],
            ['compressed_air', '压风自救'],
            ['water', '供水施救'],
            ['communication', '通信联络'],
          ]),
          {
            help: '地下矿山安全避险"六大系统"：监测监控、人员定位、紧急避险、压风自救、供水施救和通信联络系统。勾选已建成并正常使用的系统。',
          },
        ),
        num('goaf_volume', '采空区体积', '万m³'),
        yesNo('three_under', '"三下"开采', { help: '在建筑物下、铁路下、水体下开采。' }),
        oneOf(
          'hydrogeology',
          '水文地质类型',
          choices([
            ['simple', '简单'],
            ['medium', '中等'],
            ['complex', '复杂'],
          ]),
        ),
      ],
    },
  ],
  rules: [...commonRules, ...miningRules],
  query: miningQuery,
};

export const undergroundExample = (): FormInput => ({
  ...commonExample({
    name: '诸暨某某铁矿地下开采系统',
    region_code: '330681',
    address: '浙江省绍兴市诸暨市某某镇某某村',
    longitude: '120.235',
    latitude: '29.618',
  }),
  ...miningExample('iron', '30', '25.5', 'medium'),
  mining_method_kind: 'underground',
  development: 'shaft',
  stoping: 'fill',
  hoisting: 'cage',
  max_depth: '420',
  max_underground_workers: '45',
  ventilation_system: 'diagonal',
  ventilation_method: 'exhaust',
  total_airflow: '65.5',
  six_systems: ['monitoring', 'positioning', 'refuge', 'compressed_air', 'water', 'communication'],
  goaf_volume: '12.3',
  three_under: 'false',
  hydrogeology: 'medium',
});
