import {
  AGENCY_LEVELS,
  agencyLevelLabel,
  chainOf,
  childToward,
  inSubtree,
  indexAgencies,
  isAncestor,
  type AgencyNode,
} from '../../src/domain/orgTree';

// A small tree with the irregular shapes of SPEC §3.
const agencies: AgencyNode[] = [
  { id: 1, parentId: null, level: 'national', name: '国家安全监管总局' },
  { id: 2, parentId: 1, level: 'province', name: '湖北省安全生产监督管理局' },
  { id: 3, parentId: 2, level: 'city', name: '武汉市安全生产监督管理局' },
  { id: 4, parentId: 3, level: 'county', name: '江夏区安全生产监督管理局' },
  { id: 5, parentId: 2, level: 'county', name: '仙桃市安全生产监督管理局' }, // province-administered
  { id: 12, parentId: 1, level: 'province', name: '北京市安全生产监督管理局' },
  { id: 13, parentId: 12, level: 'county', name: '门头沟区安全生产监督管理局' }, // no city level
  { id: 30, parentId: 1, level: 'offshore', name: '海洋石油作业安全办公室' },
  { id: 40, parentId: 30, level: 'offshore', name: '驻中国海洋石油总公司分部' },
  { id: 41, parentId: 40, level: 'offshore', name: '天津监督处' },
];
const byId = indexAgencies(agencies);

describe('chainOf', () => {
  it.each([
    [4, [4, 3, 2, 1]],
    [5, [5, 2, 1]],
    [13, [13, 12, 1]],
    [41, [41, 40, 30, 1]],
    [2, [2, 1]],
    [1, [1]],
  ])('agency %i → %j', (id, chain) => {
    expect(chainOf(agencies, id)).toEqual(chain);
    expect(chainOf(byId, id)).toEqual(chain);
    expect(chainOf((x) => byId.get(x), id)).toEqual(chain);
  });

  it('throws on an unknown agency or a cycle', () => {
    expect(() => chainOf(agencies, 404)).toThrow(/unknown agency 404/);
    const loop = [
      { id: 1, parentId: 2 },
      { id: 2, parentId: 1 },
    ];
    expect(() => chainOf(loop, 1)).toThrow(/cycle/);
  });
});

describe('ancestry', () => {
  it('isAncestor is strict', () => {
    expect(isAncestor(byId, 1, 4)).toBe(true);
    expect(isAncestor(byId, 3, 4)).toBe(true);
    expect(isAncestor(byId, 4, 4)).toBe(false);
    expect(isAncestor(byId, 4, 3)).toBe(false);
    expect(isAncestor(byId, 3, 5)).toBe(false); // 仙桃 is not under 武汉
    expect(isAncestor(byId, 30, 41)).toBe(true);
  });

  it('inSubtree includes the root itself', () => {
    expect(inSubtree(byId, 4, 4)).toBe(true);
    expect(inSubtree(byId, 2, 5)).toBe(true);
    expect(inSubtree(byId, 12, 4)).toBe(false);
  });

  it('childToward finds the child on the way down, for drill-down', () => {
    expect(childToward(byId, 1, 4)).toBe(2);
    expect(childToward(byId, 2, 4)).toBe(3);
    expect(childToward(byId, 2, 5)).toBe(5);
    expect(childToward(byId, 1, 41)).toBe(30);
    expect(childToward(byId, 4, 4)).toBeNull();
    expect(childToward(byId, 12, 4)).toBeNull();
  });
});

describe('indexAgencies and labels', () => {
  it('rejects duplicate ids', () => {
    expect(() => indexAgencies([agencies[0], agencies[0]])).toThrow(/duplicate agency id 1/);
  });

  it('labels every level in Chinese', () => {
    expect(AGENCY_LEVELS.map(agencyLevelLabel)).toEqual(['总局', '省级', '市级', '县级', '海油安办']);
  });
});
