import type { Services } from '../services';
import { orgRepo } from '../data/org';
import { usersRepo } from '../data/users';
import { withCreditCodeCheck } from '../domain/creditCode';
import { exampleSystemData, type Category } from '../domain/systems';
import { exampleEnterpriseData } from '../domain/enterprise';
import type { CurrentUser, EnterpriseUser } from '../services/session';

// The demo that `npm start` shows: accounts along one real chain (西湖区 → 杭州市 → 浙江省 →
// 总局), and enterprises whose systems sit in every state — draft, pending at each level with
// each arrival, returned, stored, a change under way. Everything goes through the same services
// as the web pages (registration, filing, workflow), so the demo obeys every rule.

export const DEMO_PASSWORD = 'Demo2026pass';

const REGULATORS = [
  { username: 'demo_county', agency: '330106', role: '县级（西湖区）' },
  { username: 'demo_county2', agency: '330105', role: '县级（拱墅区）' },
  { username: 'demo_city', agency: '330100', role: '市级（杭州市）' },
  { username: 'demo_province', agency: '330000', role: '省级（浙江省）' },
  { username: 'demo_national', agency: '000000', role: '总局' },
  { username: 'demo_offshore', agency: 'HYAB-CNOOC-TJ', role: '海油安办天津监督处' },
] as const;

type Step = 'county' | 'city' | 'province' | 'national' | `return:${string}`;

interface DemoSystem {
  category: Category;
  name: string;
  overrides?: Record<string, string | string[]>;
  /** Actions after submission, in order: approvals by level, or returns with a reason. */
  steps?: Step[];
  submit?: boolean;
  change?: boolean;
}

interface DemoEnterprise {
  username: string;
  name: string;
  region: string;
  supervising: string;
  code17: string;
  ownerless?: boolean;
  systems: DemoSystem[];
}

const UP4: Step[] = ['county', 'city', 'province', 'national'];

const ENTERPRISES: DemoEnterprise[] = [
  {
    username: 'demo_ent',
    name: '杭州西湖矿业有限公司',
    region: '330106',
    supervising: '330106',
    code17: '91330106MA27XK001',
    systems: [
      { category: 'tailings', name: '西湖矿业龙坞尾矿库', steps: UP4 },
      { category: 'underground', name: '西湖矿业转塘铅锌矿', steps: [] },
      { category: 'open_pit', name: '西湖矿业留下建筑石料矿', steps: ['county'] },
      {
        category: 'exploration',
        name: '西湖矿业地质勘查队',
        steps: [
          'county',
          'city',
          'province',
          'return:national:资质证书编号与证书原件不一致，请核实',
          'return:province:请按总局意见核实资质证书编号',
          'return:city:退回县局转企业核实',
          'return:county:请企业核实资质证书编号后重新提交',
        ],
      },
      { category: 'tailings', name: '西湖矿业双浦尾矿库（新建）', submit: false },
      {
        category: 'open_pit',
        name: '西湖矿业周浦石灰岩矿',
        overrides: { mineral: 'limestone' },
        steps: ['county', 'return:city:边坡最大高度与设计不符，请县局督促企业核实'],
      },
      { category: 'excavation', name: '西湖矿业井巷施工项目部', steps: UP4, change: true },
    ],
  },
  {
    username: 'demo_ent2',
    name: '杭州拱墅建材矿业有限公司',
    region: '330105',
    supervising: '330105',
    code17: '91330105MA28YQ002',
    systems: [
      { category: 'open_pit', name: '拱墅建材半山石料矿', steps: ['county'] },
      {
        category: 'tailings',
        name: '拱墅建材康桥尾矿库',
        overrides: {
          safety_degree: 'sick',
          overhead: 'true',
          downstream_households: '36',
          downstream_people: '118',
        },
        steps: ['county', 'city'],
      },
      {
        category: 'underground',
        name: '拱墅建材石桥萤石矿',
        overrides: { mineral: 'fluorite' },
        steps: ['county', 'city', 'province'],
      },
      {
        category: 'open_pit',
        name: '拱墅建材祥符砂石矿',
        steps: [
          'county',
          'city',
          'province',
          'return:national:安全生产许可证已过期，请核实',
          'return:province:请市局核实许可证情况',
        ],
      },
    ],
  },
  {
    username: 'demo_ent3',
    name: '浙江钱江矿业集团有限公司',
    region: '330110',
    supervising: '330100',
    code17: '91330100MA2H3T003',
    systems: [
      {
        category: 'underground',
        name: '钱江矿业余杭金矿',
        overrides: { mineral: 'gold', scale: 'medium' },
        steps: [],
      },
      {
        category: 'tailings',
        name: '钱江矿业余杭尾矿库',
        overrides: { safety_degree: 'dangerous', grade: '3' },
        steps: ['city', 'province', 'national'],
      },
    ],
  },
  {
    username: 'demo_ent4',
    name: '浙江省能源石油开发有限公司',
    region: '330106',
    supervising: '330000',
    code17: '91330000MA2J8P004',
    systems: [
      {
        category: 'oil_gas_onshore',
        name: '浙能石油杭州储运站',
        overrides: { region_code: '330106' },
        steps: [],
      },
    ],
  },
  {
    username: 'demo_offshore_ent',
    name: '中海石油（中国）有限公司天津分公司',
    region: '120116',
    supervising: 'HYAB-CNOOC-TJ',
    code17: '91120116MA05LD005',
    systems: [
      { category: 'oil_gas_offshore', name: '渤中某油田群作业区', steps: [] },
      {
        category: 'oil_gas_offshore',
        name: '绥中某油田作业区',
        steps: ['HYAB-CNOOC-TJ', 'HYAB-CNOOC', 'HYAB', 'national'] as Step[],
      },
    ],
  },
  {
    username: 'demo_ownerless',
    name: '西湖区无主尾矿库（区安监局代填）',
    region: '330106',
    supervising: '330106',
    code17: '11330106MB1C0N006',
    ownerless: true,
    systems: [
      {
        category: 'tailings',
        name: '转塘废弃尾矿库',
        overrides: {
          production_status: 'closed',
          operation_status: 'closed',
          safety_license_no: '',
          safety_license_issued: '',
          safety_license_expires: '',
        },
        steps: ['county'],
      },
    ],
  },
];

export async function seedDemo(services: Services): Promise<string[]> {
  const users = usersRepo(services.knex);
  const org = orgRepo(services.knex);
  if (!(await users.byUsername('demo_county'))) {
    const hash = await services.hasher.hash(DEMO_PASSWORD);
    for (const r of REGULATORS) {
      const agency = await org.agencyByCode(r.agency);
      if (!agency) continue;
      await users.insert({
        username: r.username,
        password_hash: hash,
        role: 'regulator',
        agency_id: agency.id,
        name: `演示审核员（${r.role}）`,
        must_change_password: false,
        is_demo: true,
      });
    }
    for (const e of ENTERPRISES) await seedEnterprise(services, e);
    await seedCampaign(services);
  }
  return [
    `演示账号（密码均为 ${DEMO_PASSWORD}）：`,
    ...REGULATORS.map((r) => `  ${r.username.padEnd(18)} ${r.role}`),
    `  ${'demo_ent'.padEnd(18)} 企业（杭州西湖矿业有限公司）`,
  ];
}

/** The current round, so the timetable, due dates and reminders have something to go by. */
async function seedCampaign(services: Services): Promise<void> {
  const national = await reviewerFor(services, 'national', '000000');
  await services.campaign.save(national, {
    name: '2026年度非煤矿山安全生产基本情况普查',
    startsOn: '2026-11-02',
    filingDeadline: '2026-12-31',
    limit_county: '5',
    limit_city: '5',
    limit_province: '5',
    limit_offshore: '5',
    limit_national: '10',
  });
}

async function seedEnterprise(services: Services, e: DemoEnterprise): Promise<void> {
  const org = orgRepo(services.knex);
  const supervising = await org.agencyByCode(e.supervising);
  if (!supervising) return;
  const body = exampleEnterpriseData({
    credit_code: withCreditCodeCheck(e.code17),
    name: e.name,
    region_code: e.region,
    supervising_agency_id: String(supervising.id),
    ownerless: e.ownerless ? 'true' : 'false',
    username: e.username,
    password: DEMO_PASSWORD,
    password_confirm: DEMO_PASSWORD,
    captcha: 'demo',
  });
  // An ownerless pond's enterprise is registered by its supervising agency, as in real life.
  const { userId } = await services.registration.register(body, {
    expectedCaptcha: 'demo',
    registeredByAgencyId: e.ownerless ? supervising.id : null,
  });
  await usersRepo(services.knex).markDemo(userId);
  const owner = (await services.session.currentUser(userId)) as EnterpriseUser;
  for (const s of e.systems) {
    const example = exampleSystemData(s.category);
    const region = await org.regionByCode(e.region);
    const id = await services.filing.createDraft(owner, s.category, {
      ...example,
      // Located where the enterprise is (offshore fields have no county).
      ...(s.category === 'oil_gas_offshore' || !region
        ? {}
        : { region_code: e.region, address: `${region.full_name}${s.name.slice(-4)}矿区` }),
      name: s.name,
      ...s.overrides,
    });
    if (s.submit === false) continue;
    await services.workflow.submit(owner, id);
    for (const step of s.steps ?? []) {
      const [kind, level, reason] = step.split(':');
      const reviewer = await reviewerFor(services, kind === 'return' ? level : kind, e.supervising);
      if (kind === 'return') await services.workflow.return(reviewer, id, reason);
      else await services.workflow.approve(reviewer, id, '同意');
    }
    if (s.change) {
      await services.workflow.reopen(owner, id);
    }
  }
}

/** The demo reviewer of a level on the enterprise's chain (or of an agency code). */
async function reviewerFor(services: Services, level: string, supervising: string): Promise<CurrentUser> {
  const byLevel: Record<string, string> = {
    county: supervising === '330105' ? 'demo_county2' : 'demo_county',
    city: 'demo_city',
    province: 'demo_province',
    national: 'demo_national',
    'HYAB-CNOOC-TJ': 'demo_offshore',
  };
  const username = byLevel[level];
  const user = username ? await usersRepo(services.knex).byUsername(username) : undefined;
  if (user) return (await services.session.currentUser(user.id)) as CurrentUser;
  // Agencies without a demo account (the offshore branch and office above 天津监督处) act
  // through an account issued for them on the spot.
  const agency = await orgRepo(services.knex).agencyByCode(level);
  if (!agency) throw new Error(`demo: no agency ${level}`);
  const id = await usersRepo(services.knex).insert({
    username: `demo_${level.toLowerCase().replace(/[^a-z0-9]/g, '_')}`,
    password_hash: await services.hasher.hash(DEMO_PASSWORD),
    role: 'regulator',
    agency_id: agency.id,
    name: `演示审核员（${agency.name}）`,
    must_change_password: false,
    is_demo: true,
  });
  return (await services.session.currentUser(id)) as CurrentUser;
}
