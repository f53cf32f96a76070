import {
  REQ,
  choices,
  commonExample,
  commonQuery,
  commonRules,
  commonSections,
  int,
  someOf,
  text,
} from './common';
import type { FormInput } from './common';
import type { CategoryDef, SectionDef } from './types';

/** Geological exploration units and mining construction contractors file the same fields. */
const operationsSections: readonly SectionDef[] = [
  {
    title: '资质与作业',
    fields: [
      text('qualification', '资质类别及等级', REQ),
      text('qualification_no', '资质证书编号', { ...REQ, maxLength: 50 }),
      int('project_count', '在建项目（作业点）数', '个', REQ),
      int('field_workers', '野外/井下作业人员数', '人', REQ),
      someOf(
        'main_work',
        '主要作业内容',
        choices([
          ['drilling', '钻探'],
          ['trenching', '坑探'],
          ['shaft_sinking', '井巷掘进'],
          ['stripping', '露天剥离'],
          ['blasting', '爆破作业'],
        ]),
      ),
    ],
  },
];

export const exploration: CategoryDef = {
  code: 'exploration',
  label: '地质勘探单位',
  shortLabel: '地质勘探',
  sections: [...commonSections(), ...operationsSections],
  rules: commonRules,
  query: commonQuery(['qualification']),
};

export const excavation: CategoryDef = {
  code: 'excavation',
  label: '采掘施工企业',
  shortLabel: '采掘施工',
  sections: [...commonSections(), ...operationsSections],
  rules: commonRules,
  query: commonQuery(['qualification']),
};

export const explorationExample = (): FormInput => ({
  ...commonExample({
    name: '浙江省某某地质勘查院野外作业队',
    region_code: '330106',
    address: '浙江省杭州市西湖区某某路100号',
    longitude: '120.129',
    latitude: '30.259',
  }),
  employees: '86',
  safety_managers: '3',
  special_workers: '12',
  registered_safety_engineers: '1',
  qualification: '地质勘查资质（固体矿产勘查甲级）',
  qualification_no: '33201100015',
  project_count: '7',
  field_workers: '48',
  main_work: ['drilling', 'trenching'],
});

export const excavationExample = (): FormInput => ({
  ...commonExample({
    name: '某某矿山工程有限公司井巷施工项目部',
    region_code: '330602',
    address: '浙江省绍兴市越城区某某路18号',
    longitude: '120.582',
    latitude: '29.997',
  }),
  employees: '210',
  safety_managers: '8',
  special_workers: '65',
  registered_safety_engineers: '3',
  qualification: '矿山工程施工总承包一级',
  qualification_no: 'D133012345',
  project_count: '5',
  field_workers: '160',
  main_work: ['shaft_sinking', 'blasting'],
});
