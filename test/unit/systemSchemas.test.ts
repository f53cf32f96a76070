import {
  allFields,
  categories,
  categoryByCode,
  categoryLabel,
  displayValue,
  exampleSystemData,
  fieldLabel,
  findField,
  isCategory,
  MINERALS,
  proposedTailingsGrade,
  validateSystem,
} from '../../src/domain/systems/index';
import type { Category, FieldDef, FieldType } from '../../src/domain/systems/index';

const codes = categories.map((c) => c.code);
const fieldsOf = (c: Category) => allFields(categoryByCode(c)!);
const firstOfType = (c: Category, type: FieldType): FieldDef | undefined =>
  fieldsOf(c).find((f) => f.type === type && !f.pattern && f.min === undefined && f.max === undefined);
const submit = (c: Category, changes: Record<string, unknown>, opts?: { ownerless?: boolean }) =>
  validateSystem(c, { ...exampleSystemData(c), ...changes }, 'submit', opts);
const without = (c: Category, ...fields: string[]) => {
  const input: Record<string, unknown> = exampleSystemData(c);
  for (const f of fields) delete input[f];
  return input;
};

describe('the category registry', () => {
  it('lists the seven categories in FIELDS.md order', () => {
    expect(codes).toEqual([
      'underground',
      'open_pit',
      'tailings',
      'oil_gas_onshore',
      'oil_gas_offshore',
      'exploration',
      'excavation',
    ]);
    expect(categoryLabel('tailings')).toBe('尾矿库');
    expect(categoryLabel('nope')).toBe('nope');
    expect(isCategory('open_pit')).toBe(true);
    expect(isCategory('coal')).toBe(false);
    expect(isCategory(undefined)).toBe(false);
    expect(categoryByCode('coal')).toBeUndefined();
    expect(fieldLabel('tailings', 'current_dam_height')).toBe('现状坝高');
    expect(findField('underground', 'mineral')?.options).toBe(MINERALS);
  });

  it.each(codes)('%s opens with the common sections and has unique field codes', (c) => {
    const def = categoryByCode(c)!;
    expect(def.sections.slice(0, 3).map((s) => s.title)).toEqual(['基本信息', '人员', '安全生产许可证']);
    const fieldCodes = fieldsOf(c).map((f) => f.code);
    expect(new Set(fieldCodes).size).toBe(fieldCodes.length);
    for (const code of ['name', 'region_code', 'address', 'longitude', 'latitude', 'production_status']) {
      expect(fieldCodes).toContain(code);
    }
    expect(findField(c, 'region_code')?.widget).toBe('region');
  });

  it('groups the minerals and has unique values', () => {
    expect(new Set(MINERALS.map((m) => m.value)).size).toBe(MINERALS.length);
    expect(MINERALS.find((m) => m.value === 'iron')).toEqual({
      value: 'iron',
      label: '铁',
      group: '黑色金属',
    });
    expect(MINERALS.find((m) => m.value === 'other')?.group).toBe('其他');
    expect(MINERALS.every((m) => /^[a-z_]+$/.test(m.value) && m.group)).toBe(true);
  });
});

describe.each(codes)('validateSystem: %s', (c) => {
  it('accepts the complete example on submit, with no warning', () => {
    const r = validateSystem(c, exampleSystemData(c), 'submit');
    expect(r.errors).toEqual({});
    expect(r.warnings).toEqual({});
    expect(r.ok).toBe(true);
    expect(Object.keys(r.data).sort()).toEqual(
      fieldsOf(c)
        .map((f) => f.code)
        .sort(),
    );
    expect(r.data.name).toBe(exampleSystemData(c).name);
  });

  it('reports every missing required field on submit, and only those', () => {
    const required = fieldsOf(c).filter((f) => f.required);
    const r = validateSystem(c, {}, 'submit');
    expect(r.ok).toBe(false);
    expect(Object.keys(r.errors).sort()).toEqual(required.map((f) => f.code).sort());
    for (const f of required) expect(r.errors[f.code]).toMatch(/^请(填写|选择)/);
    expect(r.errors.name).toBe('请填写独立生产系统名称');
    expect(r.errors.production_status).toBe('请选择生产状态');
  });

  it('treats empty strings and empty multi selections as missing', () => {
    const required = fieldsOf(c).filter((f) => f.required);
    const input = Object.fromEntries(required.map((f) => [f.code, f.type === 'multi' ? [''] : '   ']));
    const r = validateSystem(c, input, 'submit');
    expect(Object.keys(r.errors).sort()).toEqual(required.map((f) => f.code).sort());
  });

  it('accepts partial data as a draft', () => {
    const r = validateSystem(c, { name: '某某系统', employees: '12' }, 'draft');
    expect(r.ok).toBe(true);
    expect(r.data.name).toBe('某某系统');
    expect(r.data.employees).toBe(12);
    expect(r.data.address).toBeNull();
    expect(validateSystem(c, {}, 'draft').ok).toBe(true);
  });

  it('refuses bad values even in a draft', () => {
    // Exploration units have no free number field: their coordinates stand in.
    const number = firstOfType(c, 'number') ?? findField(c, 'longitude')!;
    const integer = firstOfType(c, 'integer')!;
    const enumField = fieldsOf(c).find((f) => f.type === 'enum')!;
    const date = firstOfType(c, 'date')!;
    const text = fieldsOf(c).find((f) => f.type === 'text' && !f.pattern && !f.maxLength)!;
    const cases: Array<[FieldDef, unknown, string]> = [
      [number, 'abc', '请输入数字'],
      [number, '12,5', '请输入数字'],
      [number, '1e3', '请输入数字'],
      [number, '-3', number.rangeMessage ?? '不能为负数'],
      [number, '1'.repeat(400), '数值过大'],
      [integer, '2.5', '请输入整数'],
      [integer, '-1', '不能为负数'],
      [integer, 'ten', '请输入数字'],
      [enumField, 'made_up', '请选择列表中的选项'],
      [date, '2024/01/05', '日期格式应为 YYYY-MM-DD'],
      [date, '2023-02-29', '日期格式应为 YYYY-MM-DD'],
      [date, '2024-13-01', '日期格式应为 YYYY-MM-DD'],
      [text, 'x'.repeat(201), '不能超过 200 个字符'],
      [findField(c, 'name')!, '矿'.repeat(101), '不能超过 100 个字符'],
      [findField(c, 'longitude')!, '150', '坐标应在中国境内'],
      [findField(c, 'latitude')!, '-10', '坐标应在中国境内'],
      [findField(c, 'region_code')!, '33068', '行政区划代码应为6位数字'],
      [findField(c, 'production_status')!, { $ne: 1 }, '格式不正确'],
      [findField(c, 'name')!, ['a', 'b'], '格式不正确'],
    ];
    for (const [field, value, message] of cases) {
      const r = validateSystem(c, { [field.code]: value }, 'draft');
      expect({ field: field.code, value, error: r.errors[field.code] }).toEqual({
        field: field.code,
        value,
        error: message,
      });
      expect(r.ok).toBe(false);
      expect(r.data).not.toHaveProperty(field.code);
    }
  });

  it('parses numbers, dates and booleans', () => {
    const r = validateSystem(
      c,
      { longitude: ' 120.5 ', employees: '007', safety_license_issued: '2024-02-29' },
      'draft',
    );
    expect(r.data).toMatchObject({ longitude: 120.5, employees: 7, safety_license_issued: '2024-02-29' });
    expect(r.values.longitude).toBe('120.5');
  });

  it('ignores unknown keys and echoes what was typed', () => {
    const input: Record<string, unknown> = { ...exampleSystemData(c), is_admin: 'true', status: 'approved' };
    const r = validateSystem(c, { ...input, employees: 'many' }, 'submit');
    expect(r.data).not.toHaveProperty('is_admin');
    expect(r.values).not.toHaveProperty('is_admin');
    expect(r.data).not.toHaveProperty('status');
    expect(r.values.employees).toBe('many');
    expect(r.values.name).toBe(input.name);
    expect(Object.keys(r.values).sort()).toEqual(
      fieldsOf(c)
        .map((f) => f.code)
        .sort(),
    );
  });

  it('accepts a single string for a multi field, drops duplicates, keeps option order', () => {
    const multi = fieldsOf(c).find((f) => f.type === 'multi');
    if (!multi) return;
    const [first, second] = multi.options!.map((o) => o.value);
    const one = validateSystem(c, { [multi.code]: first }, 'draft');
    expect(one.data[multi.code]).toEqual([first]);
    expect(one.values[multi.code]).toEqual([first]);
    const many = validateSystem(c, { [multi.code]: [second, first, second, ''] }, 'draft');
    expect(many.data[multi.code]).toEqual([first, second]);
    const bad = validateSystem(c, { [multi.code]: [first, 'bogus'] }, 'draft');
    expect(bad.errors[multi.code]).toBe('请选择列表中的选项');
  });

  it('requires safety managers and special workers not to exceed employees', () => {
    expect(submit(c, { employees: '10', safety_managers: '10', special_workers: '10' }).ok).toBe(true);
    const r = submit(c, { employees: '10', safety_managers: '11', special_workers: '12' });
    expect(r.errors).toEqual({
      safety_managers: '专职安全管理人员数不能大于从业人员数',
      special_workers: '特种作业人员数不能大于从业人员数',
    });
    expect(validateSystem(c, { employees: '10', safety_managers: '11' }, 'draft').ok).toBe(true);
  });

  it('requires the safety licence to expire after its issue', () => {
    const same = submit(c, { safety_license_issued: '2023-06-15', safety_license_expires: '2023-06-15' });
    expect(same.errors).toEqual({ safety_license_expires: '安全生产许可证有效期至应晚于发证日期' });
    const before = submit(c, { safety_license_issued: '2023-06-15', safety_license_expires: '2020-06-14' });
    expect(before.errors.safety_license_expires).toBe('安全生产许可证有效期至应晚于发证日期');
    expect(submit(c, { safety_license_issued: '2023-06-15', safety_license_expires: '2026-06-15' }).ok).toBe(
      true,
    );
  });

  it('warns when the licence validity is not about three years', () => {
    const r = submit(c, { safety_license_issued: '2023-06-15', safety_license_expires: '2025-06-14' });
    expect(r.ok).toBe(true);
    expect(r.warnings.safety_license_expires).toMatch(/一般为3年/);
    expect(
      submit(c, { safety_license_issued: '2023-06-15', safety_license_expires: '2026-07-10' }).warnings,
    ).toEqual({});
    expect(
      submit(c, { safety_license_issued: '2024-02-29', safety_license_expires: '2027-02-28' }).warnings,
    ).toEqual({});
  });

  it('requires a producing system to hold a safety licence', () => {
    const r = validateSystem(
      c,
      without(c, 'safety_license_no', 'safety_license_issued', 'safety_license_expires'),
      'submit',
    );
    expect(r.errors).toEqual({
      safety_license_no: '正常生产的系统应填写安全生产许可证编号',
      safety_license_issued: '正常生产的系统应填写安全生产许可证发证日期',
      safety_license_expires: '正常生产的系统应填写安全生产许可证有效期至',
    });
    const building = {
      ...without(c, 'safety_license_no', 'safety_license_issued', 'safety_license_expires'),
    };
    expect(validateSystem(c, { ...building, production_status: 'construction' }, 'submit').ok).toBe(true);
  });

  it('lets only ownerless filers write 无 in the licence number', () => {
    expect(submit(c, { safety_license_no: '无' }, { ownerless: true }).data.safety_license_no).toBe('无');
    const r = submit(c, { safety_license_no: '无' });
    expect(r.errors.safety_license_no).toBe('正常生产的系统应填写安全生产许可证编号');
    expect(r.values.safety_license_no).toBe('无');
    expect(
      submit(c, { safety_license_no: '无', production_status: 'closed' }).data.safety_license_no,
    ).toBeNull();
    // A non-text required field stays required for ownerless filers.
    expect(submit(c, { employees: '' }, { ownerless: true }).errors.employees).toBe('请填写从业人员数');
  });

  it('never throws on junk input', () => {
    const junk: Record<string, unknown> = Object.fromEntries(
      fieldsOf(c).map((f, i) => [f.code, [{}, [[1]], () => 1, Symbol('x'), 12n, NaN][i % 6]]),
    );
    const r = validateSystem(c, junk, 'submit');
    expect(r.ok).toBe(false);
    expect(Object.keys(r.errors).length).toBe(fieldsOf(c).length);
  });
});

describe('category-specific rules', () => {
  it('region code is optional offshore only', () => {
    expect(validateSystem('oil_gas_offshore', without('oil_gas_offshore', 'region_code'), 'submit').ok).toBe(
      true,
    );
    expect(
      validateSystem('underground', without('underground', 'region_code'), 'submit').errors.region_code,
    ).toBe('请选择所在行政区划');
  });

  it.each(['underground', 'open_pit'] as const)('%s: mining licence dates and number shape', (c) => {
    const r = submit(c, { mining_license_from: '2020-03-01', mining_license_to: '2019-03-01' });
    expect(r.errors).toEqual({ mining_license_to: '采矿许可证有效期止应晚于起始日期' });
    expect(submit(c, { mining_license_from: '2020-03-01', mining_license_to: '2020-03-02' }).ok).toBe(true);
    const odd = submit(c, { mining_license_no: '3306002010047120012345' });
    expect(odd.ok).toBe(true);
    expect(odd.warnings.mining_license_no).toMatch(/C.*22位数字/);
    expect(
      submit(c, { mining_license_no: 'c3306002010047120012345' }).warnings.mining_license_no,
    ).toBeDefined();
  });

  it('open_pit: the final slope angle is between 0 and 90°', () => {
    expect(submit('open_pit', { final_slope_angle: '90' }).ok).toBe(true);
    expect(submit('open_pit', { final_slope_angle: '91' }).errors.final_slope_angle).toBe('应在 0–90° 之间');
    expect(submit('open_pit', { final_slope_angle: '-1' }).errors.final_slope_angle).toBe('不能为负数');
  });

  it('tailings: current dam height and capacity within the design', () => {
    expect(submit('tailings', { current_dam_height: '48', current_capacity: '156' }).ok).toBe(true);
    const r = submit('tailings', {
      current_dam_height: '48.5',
      current_capacity: '157',
      starter_dam_height: '49',
    });
    expect(r.errors).toEqual({
      current_dam_height: '现状坝高不能大于设计总坝高',
      current_capacity: '现状库容不能大于设计总库容',
      starter_dam_height: '初期坝高不能大于设计总坝高',
    });
  });

  it('tailings: downstream counts required for an overhead pond only', () => {
    const missing = without('tailings', 'downstream_households', 'downstream_people');
    expect(validateSystem('tailings', missing, 'submit').errors).toEqual({
      downstream_households: '头顶库应填写下游1公里内户数',
      downstream_people: '头顶库应填写下游1公里内人数',
    });
    expect(validateSystem('tailings', { ...missing, overhead: 'false' }, 'submit').ok).toBe(true);
    expect(validateSystem('tailings', missing, 'draft').ok).toBe(true);
    expect(validateSystem('tailings', { overhead: '' }, 'submit').errors.overhead).toBe('请选择头顶库');
  });

  it('tailings: the grade is checked against the design, as a warning', () => {
    const ok = submit('tailings', { design_capacity: '156', design_dam_height: '48', grade: '4' });
    expect(ok.warnings).toEqual({});
    const off = submit('tailings', { design_capacity: '1200', design_dam_height: '48', grade: '4' });
    expect(off.ok).toBe(true);
    expect(off.warnings.grade).toBe('按设计库容和坝高计算应为三等，与填写不一致');
    const expert = submit('tailings', { grade: '1' });
    expect(expert.ok).toBe(true);
    expect(expert.data.grade).toBe('1');
    expect(expert.warnings.grade).toBe('按设计库容和坝高计算应为四等，与填写不一致');
    // Warnings show while drafting too; no grade is proposed without both inputs.
    expect(
      validateSystem('tailings', { design_capacity: '1200', design_dam_height: '48', grade: '4' }, 'draft')
        .warnings.grade,
    ).toBeDefined();
    expect(validateSystem('tailings', { design_capacity: '1200', grade: '4' }, 'draft').warnings).toEqual({});
  });

  it('tailings: proposedTailingsGrade reads parsed data or form strings', () => {
    expect(proposedTailingsGrade({ design_capacity: 156, design_dam_height: 48 })).toBe(4);
    expect(proposedTailingsGrade({ design_capacity: '12000', design_dam_height: '20' })).toBe(3);
    expect(proposedTailingsGrade({ design_capacity: '', design_dam_height: '20' })).toBeNull();
    expect(proposedTailingsGrade({ design_capacity: 'abc', design_dam_height: '20' })).toBeNull();
    expect(proposedTailingsGrade({})).toBeNull();
  });

  it('oil_gas_onshore: H2S concentration required when sour', () => {
    expect(submit('oil_gas_onshore', { h2s_concentration: '' }).errors).toEqual({
      h2s_concentration: '含硫化氢时请填写硫化氢最高浓度',
    });
    expect(submit('oil_gas_onshore', { h2s: 'false', h2s_concentration: '' }).ok).toBe(true);
    expect(submit('oil_gas_onshore', { operation_types: [] }).errors.operation_types).toBe('请选择作业类型');
  });

  it.each([
    ['true', true],
    ['1', true],
    ['on', true],
    ['false', false],
    ['0', false],
  ])('booleans: %p → %p', (typed, value) => {
    expect(validateSystem('oil_gas_onshore', { h2s: typed }, 'draft').data.h2s).toBe(value);
  });

  it('booleans: anything else is refused', () => {
    expect(validateSystem('oil_gas_onshore', { h2s: 'yes' }, 'draft').errors.h2s).toBe('请选择列表中的选项');
  });
});

describe('displayValue', () => {
  const f = (c: Category, code: string) => findField(c, code)!;

  it('shows labels, units, 是/否 and — for empty', () => {
    expect(displayValue(f('underground', 'design_capacity'), 12.5)).toBe('12.5 万t/a');
    expect(displayValue(f('underground', 'mineral'), 'iron')).toBe('铁');
    expect(displayValue(f('underground', 'six_systems'), ['monitoring', 'refuge'])).toBe(
      '监测监控、紧急避险',
    );
    expect(displayValue(f('underground', 'three_under'), true)).toBe('是');
    expect(displayValue(f('underground', 'three_under'), false)).toBe('否');
    expect(displayValue(f('open_pit', 'final_slope_angle'), 45)).toBe('45°');
    expect(displayValue(f('tailings', 'grade'), '3')).toBe('三等');
    expect(displayValue(f('tailings', 'grade'), null)).toBe('—');
    expect(displayValue(f('tailings', 'drainage'), [])).toBe('—');
    expect(displayValue(f('tailings', 'name'), undefined)).toBe('—');
    expect(displayValue(f('tailings', 'name'), '某某尾矿库')).toBe('某某尾矿库');
    expect(displayValue(f('tailings', 'pond_type'), 'retired_code')).toBe('retired_code');
  });
});
