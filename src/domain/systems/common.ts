import { MINERALS } from './minerals';
import type {
  CategoryQueryFields,
  CrossRule,
  FieldDef,
  Issue,
  Option,
  SectionDef,
  SystemData,
} from './types';

// ---------------------------------------------------------------------------------------------
// Field constructors: keep the category files declarative.

type Extra = Partial<Omit<FieldDef, 'code' | 'label' | 'type'>>;

export const choices = (pairs: ReadonlyArray<readonly [string, string]>): Option[] =>
  pairs.map(([value, label]) => ({ value, label }));

export const text = (code: string, label: string, extra: Extra = {}): FieldDef => ({
  code,
  label,
  type: 'text',
  ...extra,
});
export const num = (code: string, label: string, unit: string, extra: Extra = {}): FieldDef => ({
  code,
  label,
  type: 'number',
  unit,
  ...extra,
});
export const int = (code: string, label: string, unit: string | undefined, extra: Extra = {}): FieldDef => ({
  code,
  label,
  type: 'integer',
  ...(unit ? { unit } : {}),
  ...extra,
});
export const date = (code: string, label: string, extra: Extra = {}): FieldDef => ({
  code,
  label,
  type: 'date',
  ...extra,
});
export const oneOf = (
  code: string,
  label: string,
  options: readonly Option[],
  extra: Extra = {},
): FieldDef => ({
  code,
  label,
  type: 'enum',
  options,
  ...extra,
});
export const someOf = (
  code: string,
  label: string,
  options: readonly Option[],
  extra: Extra = {},
): FieldDef => ({
  code,
  label,
  type: 'multi',
  options,
  ...extra,
});
export const yesNo = (code: string, label: string, extra: Extra = {}): FieldDef => ({
  code,
  label,
  type: 'bool',
  ...extra,
});

export const REQ = { required: true } as const;

// ---------------------------------------------------------------------------------------------
// Cross-field rule constructors. A rule skips fields that failed to parse (absent from data).

/** `field` must be strictly later than `than` (both YYYY-MM-DD dates). */
export const laterThan =
  (field: string, than: string, message: string): CrossRule =>
  (d) =>
    typeof d[field] === 'string' && typeof d[than] === 'string' && (d[field] as string) <= (d[than] as string)
      ? [{ field, message, level: 'error' }]
      : [];

/** `field` must not exceed `than` (both numbers). */
export const notGreaterThan =
  (field: string, than: string, message: string): CrossRule =>
  (d) =>
    typeof d[field] === 'number' && typeof d[than] === 'number' && (d[field] as number) > (d[than] as number)
      ? [{ field, message, level: 'error' }]
      : [];

/** When `when` holds, each listed field must be filled; the message is the field's own. */
export const requiredWhen =
  (when: (d: SystemData) => boolean, messages: Record<string, string>): CrossRule =>
  (d) =>
    when(d)
      ? Object.entries(messages)
          .filter(([field]) => d[field] === null)
          .map(([field, message]): Issue => ({ field, message, level: 'error' }))
      : [];

// ---------------------------------------------------------------------------------------------
// Fields of every production system.

export const REGION_CODE_PATTERN = /^\d{6}$/;

export const regionCodeField = (required: boolean): FieldDef =>
  text('region_code', '所在行政区划', {
    required,
    widget: 'region',
    pattern: REGION_CODE_PATTERN,
    patternMessage: '行政区划代码应为6位数字',
    help: '选择到县（市、区）一级。',
  });

export const PRODUCTION_STATUS = choices([
  ['producing', '正常生产'],
  ['construction', '基建'],
  ['expansion', '技改扩建'],
  ['suspended', '停产整顿'],
  ['long_idle', '长期停产'],
  ['closed', '关闭'],
]);

export const STANDARDIZATION_LEVELS = choices([
  ['1', '一级'],
  ['2', '二级'],
  ['3', '三级'],
  ['none', '未达标'],
]);

/** The common sections that open every category's form. Offshore systems need no region. */
export function commonSections({ regionRequired = true }: { regionRequired?: boolean } = {}): SectionDef[] {
  return [
    {
      title: '基本信息',
      fields: [
        text('name', '独立生产系统名称', { ...REQ, maxLength: 100, help: '同一企业内不得重名。' }),
        regionCodeField(regionRequired),
        text('address', '地址', REQ),
        num('longitude', '经度', '°', {
          ...REQ,
          min: 73.5,
          max: 135.1,
          rangeMessage: '坐标应在中国境内',
          placeholder: '如 120.153',
        }),
        num('latitude', '纬度', '°', {
          ...REQ,
          min: 3.8,
          max: 53.6,
          rangeMessage: '坐标应在中国境内',
          placeholder: '如 30.287',
        }),
        oneOf('production_status', '生产状态', PRODUCTION_STATUS, REQ),
        oneOf('standardization_level', '安全生产标准化等级', STANDARDIZATION_LEVELS),
      ],
    },
    {
      title: '人员',
      fields: [
        int('employees', '从业人员数', '人', REQ),
        int('safety_managers', '专职安全管理人员数', '人', REQ),
        int('special_workers', '特种作业人员数', '人'),
        int('registered_safety_engineers', '注册安全工程师数', '人'),
      ],
    },
    {
      title: '安全生产许可证',
      fields: [
        text('safety_license_no', '安全生产许可证编号', {
          allowNone: true,
          maxLength: 50,
          placeholder: '（浙）FM安许证字〔2023〕0001号',
          help: '正常生产的系统必须填写。',
        }),
        date('safety_license_issued', '安全生产许可证发证日期'),
        date('safety_license_expires', '安全生产许可证有效期至', { help: '有效期一般为3年。' }),
      ],
    },
  ];
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/** Warn when the licence validity is not about 3 years (±30 days). */
const licenceValidityIsUsual: CrossRule = (d) => {
  const issued = d.safety_license_issued;
  const expires = d.safety_license_expires;
  if (typeof issued !== 'string' || typeof expires !== 'string' || expires <= issued) return [];
  const usual = `${Number(issued.slice(0, 4)) + 3}${issued.slice(4)}`.replace(/-02-29$/, '-02-28');
  return Math.abs(dayNumber(expires) - dayNumber(usual)) > 30
    ? [
        {
          field: 'safety_license_expires',
          message: '安全生产许可证有效期一般为3年，请核对发证日期和有效期至',
          level: 'warning',
        },
      ]
    : [];
};

/** What every category's stored version is filtered and counted by. */
export const COMMON_QUERY_FIELDS = ['production_status', 'safety_license_expires'] as const;

export const commonRules: readonly CrossRule[] = [
  notGreaterThan('safety_managers', 'employees', '专职安全管理人员数不能大于从业人员数'),
  notGreaterThan('special_workers', 'employees', '特种作业人员数不能大于从业人员数'),
  laterThan('safety_license_expires', 'safety_license_issued', '安全生产许可证有效期至应晚于发证日期'),
  licenceValidityIsUsual,
  requiredWhen((d) => d.production_status === 'producing', {
    safety_license_no: '正常生产的系统应填写安全生产许可证编号',
    safety_license_issued: '正常生产的系统应填写安全生产许可证发证日期',
    safety_license_expires: '正常生产的系统应填写安全生产许可证有效期至',
  }),
];

// ---------------------------------------------------------------------------------------------
// Shared by the metal and non-metal mines (underground and open pit): mining licence and capacity.

/** The metal and non-metal mines are filtered and counted by mineral and scale. */
export const miningQuery: CategoryQueryFields = {
  filters: ['mineral', 'scale', ...COMMON_QUERY_FIELDS],
  keyFigures: ['mineral', 'scale'],
  statistics: ['mineral', 'scale', ...COMMON_QUERY_FIELDS],
};

/** A category counted and filtered only by what every category has. */
export const commonQuery = (keyFigures: readonly string[]): CategoryQueryFields => ({
  filters: COMMON_QUERY_FIELDS,
  keyFigures,
  statistics: COMMON_QUERY_FIELDS,
});

export const MINING_LICENSE_NO_PATTERN = /^C\d{22}$/;

export const miningSections: readonly SectionDef[] = [
  {
    title: '采矿许可',
    fields: [
      oneOf('mineral', '主要矿种', MINERALS, REQ),
      text('mining_license_no', '采矿许可证号', {
        ...REQ,
        allowNone: true,
        maxLength: 50,
        placeholder: 'C + 22位数字',
      }),
      date('mining_license_from', '采矿许可证有效期起', REQ),
      date('mining_license_to', '采矿许可证有效期止', REQ),
    ],
  },
  {
    title: '生产能力',
    fields: [
      num('design_capacity', '设计生产规模', '万t/a', REQ),
      num('actual_output', '上年实际产量', '万t'),
      oneOf(
        'scale',
        '生产规模',
        choices([
          ['large', '大型'],
          ['medium', '中型'],
          ['small', '小型'],
        ]),
        { ...REQ, help: '按矿山生产建设规模分类标准划分。' },
      ),
    ],
  },
];

export const miningRules: readonly CrossRule[] = [
  laterThan('mining_license_to', 'mining_license_from', '采矿许可证有效期止应晚于起始日期'),
  (d) => {
    const no = d.mining_license_no;
    return typeof no === 'string' && no !== '无' && !MINING_LICENSE_NO_PATTERN.test(no)
      ? [{ field: 'mining_license_no', message: '采矿许可证号一般为“C”加22位数字，请核对', level: 'warning' }]
      : [];
  },
];

// ---------------------------------------------------------------------------------------------
// Example form input (as a browser would post it), reused by tests and the demo seed.

export type FormInput = Record<string, string | string[]>;

export interface Place {
  name: string;
  region_code: string;
  address: string;
  longitude: string;
  latitude: string;
}

export function commonExample(place: Place): FormInput {
  return {
    ...place,
    production_status: 'producing',
    standardization_level: '3',
    employees: '126',
    safety_managers: '5',
    special_workers: '18',
    registered_safety_engineers: '2',
    safety_license_no: '（浙）FM安许证字〔2023〕0317号',
    safety_license_issued: '2023-06-15',
    safety_license_expires: '2026-06-14',
  };
}

export const miningExample = (
  mineral: string,
  designCapacity: string,
  actualOutput: string,
  scale: string,
): FormInput => ({
  mineral,
  mining_license_no: 'C3306002010047120012345',
  mining_license_from: '2020-03-01',
  mining_license_to: '2030-02-28',
  design_capacity: designCapacity,
  actual_output: actualOutput,
  scale,
});
