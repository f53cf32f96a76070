import type { Option } from './types';

/**
 * Main mineral (主要矿种), grouped. The groups and their first entries come from FIELDS.md; the
 * rest was completed from practice and may grow. Uranium and coal are out of scope.
 */
const GROUPS: ReadonlyArray<readonly [group: string, entries: ReadonlyArray<readonly [string, string]>]> = [
  [
    '黑色金属',
    [
      ['iron', '铁'],
      ['manganese', '锰'],
      ['chromium', '铬'],
      ['vanadium', '钒'],
      ['titanium', '钛'],
    ],
  ],
  [
    '有色金属',
    [
      ['copper', '铜'],
      ['lead', '铅'],
      ['zinc', '锌'],
      ['lead_zinc', '铅锌'],
      ['bauxite', '铝土矿'],
      ['nickel', '镍'],
      ['cobalt', '钴'],
      ['tungsten', '钨'],
      ['tin', '锡'],
      ['molybdenum', '钼'],
      ['mercury', '汞'],
      ['antimony', '锑'],
      ['bismuth', '铋'],
      ['magnesium', '镁'],
    ],
  ],
  [
    '贵金属',
    [
      ['gold', '金'],
      ['silver', '银'],
      ['platinum_group', '铂族'],
    ],
  ],
  [
    '稀有稀土',
    [
      ['lithium', '锂'],
      ['beryllium', '铍'],
      ['niobium', '铌'],
      ['tantalum', '钽'],
      ['zirconium', '锆'],
      ['rare_earth', '稀土'],
    ],
  ],
  [
    '化工',
    [
      ['phosphate', '磷'],
      ['pyrite', '硫铁矿'],
      ['potash', '钾盐'],
      ['boron', '硼'],
      ['fluorite', '萤石'],
      ['barite', '重晶石'],
      ['rock_salt', '岩盐'],
      ['mirabilite', '芒硝'],
    ],
  ],
  [
    '建材非金属',
    [
      ['limestone', '石灰岩'],
      ['dolomite', '白云岩'],
      ['gypsum', '石膏'],
      ['graphite', '石墨'],
      ['talc', '滑石'],
      ['kaolin', '高岭土'],
      ['bentonite', '膨润土'],
      ['feldspar', '长石'],
      ['quartzite', '石英岩'],
      ['wollastonite', '硅灰石'],
      ['pyrophyllite', '叶蜡石'],
      ['perlite', '珍珠岩'],
      ['diatomite', '硅藻土'],
      ['zeolite', '沸石'],
      ['granite', '花岗岩'],
      ['marble', '大理岩'],
      ['basalt', '玄武岩'],
      ['sandstone', '砂岩'],
      ['brick_clay', '砖瓦用黏土'],
      ['construction_aggregate', '建筑用砂石'],
    ],
  ],
  ['其他', [['other', '其他']]],
];

export const MINERALS: readonly Option[] = GROUPS.flatMap(([group, entries]) =>
  entries.map(([value, label]) => ({ value, label, group })),
);
