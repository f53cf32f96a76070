import {
  REQ,
  choices,
  commonExample,
  commonQuery,
  commonRules,
  commonSections,
  int,
  num,
  oneOf,
  requiredWhen,
  someOf,
  yesNo,
} from './common';
import type { FormInput } from './common';
import type { CategoryDef } from './types';

export const oilGasOnshore: CategoryDef = {
  code: 'oil_gas_onshore',
  label: '陆上石油天然气',
  shortLabel: '陆上油气',
  sections: [
    ...commonSections(),
    {
      title: '生产系统概况',
      fields: [
        oneOf(
          'system_type',
          '生产系统类型',
          choices([
            ['oil', '油田'],
            ['gas', '气田'],
            ['oil_gas', '油气田'],
            ['shale_gas', '页岩气'],
            ['cbm', '煤层气'],
          ]),
          REQ,
        ),
        someOf(
          'operation_types',
          '作业类型',
          choices([
            ['geophysical', '物探'],
            ['drilling', '钻井'],
            ['downhole', '井下作业'],
            ['production', '采油（气）'],
            ['gathering', '集输储运'],
          ]),
          REQ,
        ),
      ],
    },
    {
      title: '井与产量',
      fields: [
        int('oil_wells', '采油井数', '口'),
        int('gas_wells', '采气井数', '口'),
        int('injection_wells', '注水井数', '口'),
        num('annual_oil', '年产原油', '万t'),
        num('annual_gas', '年产天然气', '亿m³'),
      ],
    },
    {
      title: '硫化氢',
      fields: [
        yesNo('h2s', '含硫化氢', REQ),
        num('h2s_concentration', '硫化氢最高浓度', 'mg/m³', { help: '含硫化氢时必须填写。' }),
      ],
    },
    {
      title: '站场、储罐与管道',
      fields: [
        int('stations', '联合站/集气站/计量站数', '座'),
        int('tank_count', '储罐数量', '个'),
        num('tank_capacity', '总罐容', 'm³'),
        num('pipeline_km', '管道长度', 'km'),
        int('major_hazards', '重大危险源数', '处', { help: '依据 GB 18218 辨识的危险化学品重大危险源。' }),
      ],
    },
  ],
  rules: [
    ...commonRules,
    requiredWhen((d) => d.h2s === true, { h2s_concentration: '含硫化氢时请填写硫化氢最高浓度' }),
  ],
  query: commonQuery(['system_type']),
};

export const oilGasOnshoreExample = (): FormInput => ({
  ...commonExample({
    name: '某某油田某某采油厂',
    region_code: '370502',
    address: '山东省东营市东营区某某路88号',
    longitude: '118.582',
    latitude: '37.448',
  }),
  employees: '1860',
  safety_managers: '42',
  special_workers: '310',
  registered_safety_engineers: '15',
  safety_license_no: '（鲁）FM安许证字〔2023〕0052号',
  system_type: 'oil',
  operation_types: ['downhole', 'production', 'gathering'],
  oil_wells: '1240',
  gas_wells: '36',
  injection_wells: '580',
  annual_oil: '210.5',
  annual_gas: '1.8',
  h2s: 'true',
  h2s_concentration: '150',
  stations: '24',
  tank_count: '38',
  tank_capacity: '120000',
  pipeline_km: '865',
  major_hazards: '6',
});
