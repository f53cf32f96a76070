import { buildOrgTree, type AgencyRow } from '../../seeds/lib/buildOrgTree';

// The organisation tree as built from the package data (SPEC §3): irregular shapes included.
const { regions, agencies } = buildOrgTree();
const agencyByCode = new Map(agencies.map((a) => [a.code, a]));
const regionByCode = new Map(regions.map((r) => [r.code, r]));

/** Codes from the agency up to the root, following parent_code. */
function chain(code: string): string[] {
  const out: string[] = [];
  for (let a: AgencyRow | undefined = agencyByCode.get(code); a; a = agencyByCode.get(a.parent_code ?? '')) {
    out.push(a.code);
  }
  return out;
}

describe('buildOrgTree', () => {
  it('hangs municipality districts directly under the municipality', () => {
    expect(agencyByCode.get('110101')).toMatchObject({
      name: '东城区安全生产监督管理局',
      level: 'county',
      parent_code: '110000',
      path: '/000000/110000/110101/',
      depth: 2,
    });
    expect(agencyByCode.get('110000')?.name).toBe('北京市安全生产监督管理局');
    expect(regionByCode.get('110101')).toMatchObject({ full_name: '北京市东城区', parent_code: '110000' });
    // 重庆's 县 (pseudo-city 5002) too
    expect(agencyByCode.get('500229')?.parent_code).toBe('500000');
  });

  it('hangs province-administered county-level units under the province', () => {
    expect(chain('429004')).toEqual(['429004', '420000', '000000']); // 仙桃
    expect(chain('419001')).toEqual(['419001', '410000', '000000']); // 济源
    expect(regionByCode.get('429004')).toMatchObject({
      name: '仙桃市',
      full_name: '湖北省仙桃市',
      is_leaf: true,
    });
  });

  it('gives an ordinary county the four-level chain', () => {
    expect(chain('330106')).toEqual(['330106', '330100', '330000', '000000']);
    expect(agencyByCode.get('330106')).toMatchObject({
      name: '西湖区安全生产监督管理局',
      path: '/000000/330000/330100/330106/',
      depth: 3,
      region_code: '330106',
    });
    expect(regionByCode.get('330106')?.full_name).toBe('浙江省杭州市西湖区');
  });

  it('drops statistical-only units and pseudo-cities', () => {
    expect(regions.filter((r) => r.code[4] === '7')).toEqual([]);
    expect(regions.filter((r) => r.name === '市辖区' || r.name === '县' || r.name.includes('直辖'))).toEqual(
      [],
    );
    expect(regionByCode.has('110100')).toBe(false);
    expect(regionByCode.has('429000')).toBe(false);
  });

  it('makes a city without counties a leaf', () => {
    expect(regionByCode.get('441900')).toMatchObject({
      name: '东莞市',
      level: 'city',
      parent_code: '440000',
      is_leaf: true,
    });
    expect(chain('441900')).toEqual(['441900', '440000', '000000']);
    expect(regionByCode.get('620200')?.is_leaf).toBe(true); // 嘉峪关: its stand-in 620201 is dropped
    expect(regionByCode.has('620201')).toBe(false);
    expect(regionByCode.get('330100')?.is_leaf).toBe(false);
    expect(regions.filter((r) => r.level === 'county').every((r) => r.is_leaf)).toBe(true);
  });

  it('builds a consistent tree', () => {
    expect(new Set(agencies.map((a) => a.code)).size).toBe(agencies.length);
    expect(new Set(regions.map((r) => r.code)).size).toBe(regions.length);
    expect(regions.every((r) => /^\d{6}$/.test(r.code))).toBe(true);
    expect(regions.every((r) => r.parent_code === null || regionByCode.has(r.parent_code))).toBe(true);

    const roots = agencies.filter((a) => a.parent_code === null);
    expect(roots.map((a) => a.code)).toEqual(['000000']);
    // Parent exists, path extends the parent's path, depth is one more (failures listed by code).
    const broken = agencies.filter((a) => {
      if (a.parent_code === null) return false;
      const parent = agencyByCode.get(a.parent_code);
      return !parent || a.path !== `${parent.path}${a.code}/` || a.depth !== parent.depth + 1;
    });
    expect(broken.map((a) => a.code)).toEqual([]);
    // Every region has its agency.
    expect(regions.every((r) => agencyByCode.get(r.code)?.region_code === r.code)).toBe(true);
  });

  it('orders the root children: provinces, then 兵团, then 海油安办', () => {
    const children = agencies.filter((a) => a.parent_code === '000000').sort((a, b) => a.sort - b.sort);
    expect(children).toHaveLength(33);
    expect(children[0].code).toBe('110000');
    expect(children.slice(-2).map((a) => a.code)).toEqual(['XPCC', 'HYAB']);
    expect(agencyByCode.get('XPCC')).toMatchObject({
      name: '新疆生产建设兵团安全生产监督管理局',
      level: 'province',
      region_code: null,
    });
  });

  it('includes the offshore branch', () => {
    expect(chain('HYAB-CNOOC-TJ')).toEqual(['HYAB-CNOOC-TJ', 'HYAB-CNOOC', 'HYAB', '000000']);
    expect(agencyByCode.get('HYAB-CNOOC-TJ')).toMatchObject({
      name: '天津监督处',
      level: 'offshore',
      region_code: null,
      path: '/000000/HYAB/HYAB-CNOOC/HYAB-CNOOC-TJ/',
      depth: 3,
    });
    expect(agencyByCode.get('HYAB')?.name).toBe('国家安全监管总局海洋石油作业安全办公室');
    const branches = agencies.filter((a) => a.parent_code === 'HYAB').map((a) => a.code);
    expect(branches).toEqual(['HYAB-CNOOC', 'HYAB-SINOPEC', 'HYAB-CNPC']);
    for (const b of branches) expect(agencies.some((a) => a.parent_code === b)).toBe(true);
  });

  it('has the national scale', () => {
    expect(agencies.length).toBeGreaterThanOrEqual(3200);
    expect(agencies.length).toBeLessThanOrEqual(3500);
    expect(agencies.filter((a) => a.level === 'province')).toHaveLength(32);
  });
});
