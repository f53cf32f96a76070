import {
  REQ,
  choices,
  commonExample,
  commonQuery,
  commonRules,
  commonSections,
  date,
  int,
  num,
  oneOf,
  someOf,
  text,
  yesNo,
} from './common';
import type { FormInput } from './common';
import type { CategoryDef } from './types';

export const oilGasOffshore: CategoryDef = {
  code: 'oil_gas_offshore',
  label: '海洋石油天然气',
  shortLabel: '海洋油气',
  sections: [
    ...commonSections({ regionRequired: false }),
    {
      title: '作业者与海域',
      fields: [
        text('operator', '作业者', REQ),
        yesNo('joint_venture', '中外合作'),
        oneOf(
          'sea_area',
          '海域',
          choices([
            ['bohai', '渤海'],
            ['yellow', '黄海'],
            ['east', '东海'],
            ['south_east', '南海东部'],
            ['south_west', '南海西部'],
          ]),
          REQ,
        ),
        num('water_depth', '水深', 'm', REQ),
        num('offshore_distance', '离岸距离', 'km'),
      ],
    },
    {
      title: '设施',
      fields: [
        someOf(
          'facility_types',
          '设施类型',
          choices([
            ['fixed', '固定平台'],
            ['island', '人工岛'],
            ['fpso', '浮式生产储卸油装置(FPSO)'],
            ['mobile_drilling', '移动式钻井平台'],
            ['subsea_pipeline', '海底管道'],
            ['terminal', '陆岸终端'],
          ]),
          REQ,
        ),
        int('crew_capacity', '定员', '人', REQ),
        num('subsea_pipeline_km', '海底管道长度', 'km'),
        date('trial_production_filed', '试生产备案日期'),
        text('certifying_body', '发证检验机构'),
      ],
    },
  ],
  rules: commonRules,
  query: commonQuery(['sea_area']),
};

export const oilGasOffshoreExample = (): FormInput => ({
  ...commonExample({
    name: '渤海某某油田作业区',
    region_code: '',
    address: '渤海海域某某油田中心平台',
    longitude: '119.704',
    latitude: '38.612',
  }),
  employees: '320',
  safety_managers: '12',
  special_workers: '64',
  registered_safety_engineers: '6',
  safety_license_no: '（海油）FM安许证字〔2023〕0008号',
  operator: '某某石油（中国）有限公司天津分公司',
  joint_venture: 'false',
  sea_area: 'bohai',
  water_depth: '28',
  offshore_distance: '65',
  facility_types: ['fixed', 'subsea_pipeline'],
  crew_capacity: '180',
  subsea_pipeline_km: '72.5',
  trial_production_filed: '2019-11-05',
  certifying_body: '中国船级社',
});
