import { creditCodeError } from './creditCode';
import { passwordPolicyErrors } from './passwordPolicy';
import { REQ, choices, int, oneOf, regionCodeField, text, yesNo } from './systems/common';
import type { FormInput } from './systems/common';
import { allFields, validateFields } from './systems/index';
import type { CrossRule, SectionDef, ValidationResult } from './systems/types';

/** 经济类型. */
export const ECONOMIC_TYPES = choices([
  ['110', '国有'],
  ['120', '集体'],
  ['130', '股份合作'],
  ['140', '联营'],
  ['150', '有限责任公司'],
  ['160', '股份有限公司'],
  ['170', '私营'],
  ['190', '其他内资'],
  ['200', '港澳台商投资'],
  ['300', '外商投资'],
]);

/** 隶属关系 (GB/T 12404). */
export const AFFILIATIONS = choices([
  ['10', '中央'],
  ['20', '省'],
  ['40', '市/地区'],
  ['50', '县'],
  ['61', '街道'],
  ['62', '镇'],
  ['63', '乡'],
  ['90', '其他'],
]);

export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{2,31}$/;

/**
 * 海洋石油天然气作业者: not a column of its own but the side of the tree the enterprise is
 * supervised from — it decides whether the supervising-agency list offers the local chain or the
 * offshore units (never both: an onshore mine is not supervised by a 监督处).
 */
export const OFFSHORE_OPERATOR = 'offshore_operator';

/** Whether a posted enterprise form says it is an offshore operator. */
export function offshoreOperatorIn(body: Record<string, unknown>): boolean {
  return ['true', '1', 'on'].includes(String(body[OFFSHORE_OPERATOR]));
}

/** The enterprise basic info (企业基本信息) form. */
export const enterpriseSections: readonly SectionDef[] = [
  {
    title: '基本信息',
    fields: [
      text('credit_code', '统一社会信用代码', {
        ...REQ,
        maxLength: 30,
        check: creditCodeError,
        help: '18位，见营业执照（字母不区分大小写）。',
      }),
      text('name', '企业名称', { ...REQ, maxLength: 100 }),
      oneOf('economic_type', '经济类型', ECONOMIC_TYPES, REQ),
      oneOf('affiliation', '隶属关系', AFFILIATIONS, REQ),
      text('parent_group', '上级集团公司', { maxLength: 100 }),
      yesNo('ownerless', '无主尾矿库（政府部门代填）', {
        help: '无主尾矿库由政府部门代为填报，无法获知的项目可填“无”。',
      }),
    ],
  },
  {
    title: '负责人与联系方式',
    fields: [
      text('legal_rep', '法定代表人', { ...REQ, maxLength: 50, allowNone: true }),
      text('safety_head', '安全负责人', { ...REQ, maxLength: 50, allowNone: true }),
      text('contact_name', '联系人', { ...REQ, maxLength: 50 }),
      text('contact_phone', '联系电话', {
        ...REQ,
        pattern: /^[0-9-]{7,20}$/,
        patternMessage: '联系电话应为7–20位数字或“-”',
        placeholder: '0571-87654321',
      }),
      text('contact_mobile', '手机', {
        allowNone: true,
        pattern: /^1\d{10}$/,
        patternMessage: '手机号码应为以1开头的11位数字',
      }),
      text('email', '电子邮箱', {
        allowNone: true,
        maxLength: 100,
        pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
        patternMessage: '电子邮箱格式不正确',
      }),
    ],
  },
  {
    title: '地址与监管',
    fields: [
      text('address', '通讯地址', REQ),
      text('postcode', '邮政编码', {
        allowNone: true,
        pattern: /^\d{6}$/,
        patternMessage: '邮政编码应为6位数字',
      }),
      regionCodeField(true),
      yesNo(OFFSHORE_OPERATOR, '海洋石油天然气作业者', {
        help: '在我国管辖海域从事石油天然气勘探开发的作业者，由海油安办所属分部、监督处监管。',
      }),
      int('supervising_agency_id', '直接监管部门', undefined, {
        ...REQ,
        widget: 'agency',
        min: 1,
        rangeMessage: '请选择直接监管部门',
        help: '所在县、市、省的安全监管部门之一；海洋石油天然气作业者为海油安办所属单位之一。',
      }),
    ],
  },
];

/** The account part of the registration form. */
export const accountSection: SectionDef = {
  title: '登录账号',
  fields: [
    text('username', '用户名', {
      ...REQ,
      maxLength: 64, // the pattern caps it at 32 with the clearer message
      pattern: USERNAME_PATTERN,
      patternMessage: '用户名应为3–32位字母、数字或下划线，以字母开头',
    }),
    text('password', '密码', { ...REQ, maxLength: 128, widget: 'password' }),
    text('password_confirm', '确认密码', { ...REQ, maxLength: 128, widget: 'password' }),
  ],
};

export const registrationSections: readonly SectionDef[] = [...enterpriseSections, accountSection];

const passwordRules: CrossRule = (d) => {
  if (typeof d.password !== 'string') return [];
  const username = typeof d.username === 'string' ? d.username : '';
  const [policy] = passwordPolicyErrors(d.password, { username });
  return [
    ...(policy ? [{ field: 'password', message: policy, level: 'error' as const }] : []),
    ...(typeof d.password_confirm === 'string' && d.password_confirm !== d.password
      ? [{ field: 'password_confirm', message: '两次输入的密码不一致', level: 'error' as const }]
      : []),
  ];
};

/**
 * Validates the enterprise form: 'register' adds the account fields and the password policy.
 * Every required field is required in both modes. Ownerless comes from the option or, when not
 * given, from the form's own ownerless field. Region and agency are checked for shape only.
 */
export function validateEnterprise(
  input: Record<string, unknown>,
  opts: { mode: 'register' | 'profile'; ownerless?: boolean },
): ValidationResult {
  const source: Record<string, unknown> = input !== null && typeof input === 'object' ? { ...input } : {};
  if (typeof source.credit_code === 'string') source.credit_code = source.credit_code.toUpperCase();
  const ownerless = opts.ownerless ?? ['true', '1', 'on'].includes(String(source.ownerless));
  const register = opts.mode === 'register';
  return validateFields(
    allFields({ sections: register ? registrationSections : enterpriseSections }),
    source,
    {
      mode: 'submit',
      ownerless,
      rules: register ? [passwordRules] : [],
    },
  );
}

/** A complete, valid enterprise form (registration fields included); override what you need. */
export const exampleEnterpriseData = (overrides: FormInput = {}): FormInput => ({
  credit_code: '91330681MA2BC12348',
  name: '诸暨市某某矿业有限公司',
  economic_type: '150',
  affiliation: '90',
  parent_group: '',
  ownerless: 'false',
  legal_rep: '张某某',
  safety_head: '李某某',
  contact_name: '王某某',
  contact_phone: '0575-87012345',
  contact_mobile: '13805751234',
  email: 'safety@example.com',
  address: '浙江省绍兴市诸暨市某某镇工业路8号',
  postcode: '311800',
  region_code: '330681',
  supervising_agency_id: '1',
  username: 'zjmine01',
  password: 'Kuangshan2024',
  password_confirm: 'Kuangshan2024',
  ...overrides,
});

export const OWNERLESS_ONLY_BY_AGENCY = '无主尾矿库只能由政府部门代为注册和填报，企业自行注册请选择“否”';

/** 无主尾矿库 is a flag of the enterprises that an agency registered for an ownerless pond. */
export function ownerlessError(ownerless: unknown, registeredByAgency: boolean): string | null {
  return ownerless === true && !registeredByAgency ? OWNERLESS_ONLY_BY_AGENCY : null;
}

/**
 * The enterprise as a version froze it at submission ("frozen enterprise facts are part of the
 * stored version"): the fields of 企业基本信息 with the names of its region and agency.
 */
export interface FrozenEnterprise {
  credit_code: string;
  name: string;
  economic_type: string | null;
  affiliation: string | null;
  parent_group: string | null;
  legal_rep: string | null;
  safety_head: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_mobile: string | null;
  email: string | null;
  address: string | null;
  postcode: string | null;
  region_code: string;
  region_name: string | null;
  supervising_agency_id: number;
  supervising_agency_name: string | null;
  ownerless: boolean;
}

type EnterpriseFields = Omit<FrozenEnterprise, 'region_name' | 'supervising_agency_name'>;

/** What a version freezes of the enterprise (only these fields, whatever else the row holds). */
export function freezeEnterprise(
  e: EnterpriseFields,
  names: { regionName: string | null; agencyName: string | null },
): FrozenEnterprise {
  return {
    credit_code: e.credit_code,
    name: e.name,
    economic_type: e.economic_type,
    affiliation: e.affiliation,
    parent_group: e.parent_group,
    legal_rep: e.legal_rep,
    safety_head: e.safety_head,
    contact_name: e.contact_name,
    contact_phone: e.contact_phone,
    contact_mobile: e.contact_mobile,
    email: e.email,
    address: e.address,
    postcode: e.postcode,
    region_code: e.region_code,
    region_name: names.regionName,
    supervising_agency_id: e.supervising_agency_id,
    supervising_agency_name: names.agencyName,
    ownerless: e.ownerless,
  };
}
