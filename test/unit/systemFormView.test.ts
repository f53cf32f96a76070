import { categoryByCode, type FieldDef, type SectionDef } from '../../src/domain/systems';
import { registrationSections } from '../../src/domain/enterprise';
import {
  errorLinks,
  fieldView,
  formSectionsView,
  formValue,
  formValues,
  regionPickerView,
} from '../../src/routes/viewModels/systemForm';
import type { RegionPicker } from '../../src/services/orgPickers';

const tailings = categoryByCode('tailings')!;
const underground = categoryByCode('underground')!;
const field = (sections: readonly SectionDef[], code: string): FieldDef =>
  sections.flatMap((s) => s.fields).find((f) => f.code === code)!;

describe('form values from stored data', () => {
  it('turns numbers, booleans, lists and nulls into what the form shows', () => {
    expect(formValue(field(tailings.sections, 'design_capacity'), 156)).toBe('156');
    expect(formValue(field(tailings.sections, 'overhead'), true)).toBe('true');
    expect(formValue(field(tailings.sections, 'overhead'), false)).toBe('false');
    expect(formValue(field(tailings.sections, 'drainage'), ['well', 'pipe'])).toEqual(['well', 'pipe']);
    expect(formValue(field(tailings.sections, 'drainage'), null)).toEqual([]);
    expect(formValue(field(tailings.sections, 'name'), null)).toBe('');
    expect(formValue(field(tailings.sections, 'name'), undefined)).toBe('');
    const values = formValues(tailings.sections, { name: '某尾矿库', grade: '4' });
    expect(values).toMatchObject({ name: '某尾矿库', grade: '4', address: '', drainage: [] });
    expect(Object.keys(values)).toHaveLength(tailings.sections.flatMap((s) => s.fields).length);
  });
});

describe('fieldView', () => {
  it('renders an enumeration as a select with Chinese labels, the chosen one selected', () => {
    const f = fieldView(field(tailings.sections, 'pond_type'), { values: { pond_type: 'valley' } });
    expect(f.control).toBe('select');
    expect(f.groups).toHaveLength(1);
    expect(f.groups[0].label).toBeNull();
    expect(f.groups[0].options.find((o) => o.selected)).toEqual({
      value: 'valley',
      label: '山谷型',
      selected: true,
    });
  });

  it('groups minerals by their group, in order', () => {
    const f = fieldView(field(underground.sections, 'mineral'), { values: { mineral: 'gold' } });
    expect(f.groups.map((g) => g.label)).toEqual([
      '黑色金属',
      '有色金属',
      '贵金属',
      '稀有稀土',
      '化工',
      '建材非金属',
      '其他',
    ]);
    expect(f.groups[2].options.find((o) => o.value === 'gold')?.selected).toBe(true);
  });

  it('renders numbers with their unit and input mode, yes/no as radios, lists as checkboxes', () => {
    const capacity = fieldView(field(tailings.sections, 'design_capacity'), {
      values: { design_capacity: '-5' },
    });
    expect(capacity).toMatchObject({ control: 'number', unit: '万m³', inputMode: 'decimal', value: '-5' });
    expect(fieldView(field(tailings.sections, 'employees'), { values: {} }).inputMode).toBe('numeric');
    const overhead = fieldView(field(tailings.sections, 'overhead'), { values: { overhead: 'on' } });
    expect(overhead.control).toBe('radios');
    expect(overhead.groups[0].options.map((o) => [o.label, o.selected])).toEqual([
      ['是', true],
      ['否', false],
    ]);
    const drainage = fieldView(field(tailings.sections, 'drainage'), {
      values: { drainage: ['well', 'chute'] },
    });
    expect(drainage.control).toBe('checkboxes');
    expect(drainage.wide).toBe(true);
    expect(drainage.groups[0].options.filter((o) => o.selected).map((o) => o.value)).toEqual([
      'well',
      'chute',
    ]);
    // A single value (one box ticked) is a list of one.
    const one = fieldView(field(tailings.sections, 'drainage'), { values: { drainage: 'pipe' } });
    expect(one.groups[0].options.filter((o) => o.selected).map((o) => o.value)).toEqual(['pipe']);
    expect(fieldView(field(tailings.sections, 'last_assessment_date'), { values: {} }).control).toBe('date');
  });

  it('carries the error, the warning, the note and the return flag of the field', () => {
    const f = fieldView(field(tailings.sections, 'grade'), {
      values: { grade: '3' },
      errors: { grade: '请选择尾矿库等别' },
      warnings: { grade: '按设计库容和坝高计算应为四等，与填写不一致' },
      notes: { grade: '按设计总库容和设计总坝高计算应为四等' },
      flagged: ['grade'],
    });
    expect(f).toMatchObject({
      error: '请选择尾矿库等别',
      warning: '按设计库容和坝高计算应为四等，与填写不一致',
      note: '按设计总库容和设计总坝高计算应为四等',
      flagged: true,
      required: true,
    });
    expect(fieldView(field(tailings.sections, 'grade'), { values: {} })).toMatchObject({
      error: null,
      warning: null,
      note: null,
      flagged: false,
    });
  });

  it('never shows a password, and shows read-only and checkbox fields as asked', () => {
    const password = fieldView(field(registrationSections, 'password'), {
      values: { password: 'Secret123' },
    });
    expect(password).toMatchObject({ control: 'password', value: '' });
    const code = fieldView(field(registrationSections, 'credit_code'), {
      values: { credit_code: '91350100M000100Y43' },
      readonly: ['credit_code'],
      help: { credit_code: '注册后不能修改。' },
    });
    expect(code).toMatchObject({ control: 'readonly', required: false, help: '注册后不能修改。' });
    const ownerless = fieldView(field(registrationSections, 'ownerless'), {
      values: { ownerless: 'true' },
      checkboxes: ['ownerless'],
    });
    expect(ownerless).toMatchObject({ control: 'checkbox', value: 'true' });
  });

  it('lists the agencies in their groups', () => {
    const f = fieldView(field(registrationSections, 'supervising_agency_id'), {
      values: { supervising_agency_id: '7' },
      agencyGroups: [
        { label: '所在地区安监部门', options: [{ value: '7', label: '西湖区安全生产监督管理局' }] },
        { label: '海洋石油作业安全监管', options: [{ value: '9', label: '天津监督处' }] },
      ],
    });
    expect(f.control).toBe('agency');
    expect(f.groups.map((g) => g.label)).toEqual(['所在地区安监部门', '海洋石油作业安全监管']);
    expect(f.groups[0].options[0].selected).toBe(true);
  });
});

describe('the region picker', () => {
  const picker = (selected: RegionPicker['selected']): RegionPicker => ({
    provinces: [{ value: '330000', label: '浙江省' }],
    cities: selected.province ? [{ value: '330100', label: '杭州市' }] : [],
    counties: selected.city ? [{ value: '330106', label: '西湖区' }] : [],
    selected,
    code: selected.county,
    fullName: selected.county ? '浙江省杭州市西湖区' : '',
  });

  it('disables the levels that have no list yet', () => {
    const view = regionPickerView(picker({ province: '', city: '', county: '' }));
    expect([view.province.disabled, view.city.disabled, view.county.disabled]).toEqual([false, true, true]);
    expect(view.county).toMatchObject({ id: 'region_code', name: 'region_code' });
    expect(regionPickerView(undefined).province.options).toEqual([]);
  });

  it('points an error link at the first level still to choose', () => {
    const def = field(registrationSections, 'region_code');
    expect(
      fieldView(def, { values: {}, picker: picker({ province: '', city: '', county: '' }) }).anchor,
    ).toBe('region_province');
    expect(
      fieldView(def, { values: {}, picker: picker({ province: '330000', city: '', county: '' }) }).anchor,
    ).toBe('region_city');
    expect(
      fieldView(def, { values: {}, picker: picker({ province: '330000', city: '330100', county: '' }) })
        .anchor,
    ).toBe('region_code');
    const chosen = fieldView(def, {
      values: {},
      picker: picker({ province: '330000', city: '330100', county: '330106' }),
    });
    expect(chosen.region?.county.options[0].selected).toBe(true);
    expect(chosen.region?.fullName).toBe('浙江省杭州市西湖区');
  });
});

describe('errorLinks', () => {
  it('follows the order of the form, drops a label the message already says, and keeps extra errors last', () => {
    const sections = formSectionsView(tailings.sections, { values: {} });
    const links = errorLinks(
      sections,
      {
        captcha: '验证码错误',
        grade: '请选择尾矿库等别',
        name: '不能超过 100 个字符',
        employees: '请输入整数',
      },
      { captcha: '验证码' },
    );
    expect(links).toEqual([
      { href: '#name', label: '独立生产系统名称', message: '不能超过 100 个字符' },
      { href: '#employees', label: '从业人员数', message: '请输入整数' },
      { href: '#grade', label: '', message: '请选择尾矿库等别' },
      { href: '#captcha', label: '验证码', message: '验证码错误' },
    ]);
  });

  it('gives each section a stable id', () => {
    const sections = formSectionsView(tailings.sections, { values: {} });
    expect(sections.map((s) => s.id)).toEqual(sections.map((_, i) => `section-${i + 1}`));
    expect(sections[0].title).toBe('基本信息');
  });
});
