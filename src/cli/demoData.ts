import type { Knex } from 'knex';
import type { Services } from '../services';
import { orgRepo } from '../data/org';
import { usersRepo } from '../data/users';
import { withCreditCodeCheck } from '../domain/creditCode';
import { exampleSystemData, type Category } from '../domain/systems';
import { exampleEnterpriseData } from '../domain/enterprise';
import type { CurrentUser, EnterpriseUser } from '../services/session';
import { passwordHasher, type PasswordHasher } from '../services/passwords';

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
  /** Where it is: address, longitude, latitude (offshore systems keep the example's platform). */
  place?: [string, string, string];
  /** Its 安全生产许可证: valid (the default), expiring within 90 days, or expired. */
  licence?: 'expiring' | 'expired';
  overrides?: Record<string, string | string[]>;
  /** Actions after submission, in order: approvals by level, or returns with a reason. */
  steps?: Step[];
  submit?: boolean;
  change?: boolean;
}

interface DemoEnterprise {
  username: string;
  name: string;
  /** 通讯地址, 邮政编码, 法定代表人, 安全负责人, 联系人, 联系电话, 手机. */
  contact: [string, string, string, string, string, string, string];
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
    contact: [
      '浙江省杭州市西湖区转塘街道美院南路 62 号',
      '310024',
      '陈建国',
      '周明华',
      '徐丽萍',
      '0571-87361208',
      '13957106218',
    ],
    region: '330106',
    supervising: '330106',
    code17: '91330106MA27XK001',
    systems: [
      {
        category: 'tailings',
        name: '西湖矿业龙坞尾矿库',
        place: ['浙江省杭州市西湖区转塘街道龙坞村大清谷', '120.0612', '30.1878'],
        steps: UP4,
      },
      {
        category: 'underground',
        name: '西湖矿业转塘铅锌矿',
        overrides: { mineral: 'lead_zinc' },
        place: ['浙江省杭州市西湖区转塘街道狮子山', '120.0835', '30.1592'],
        steps: [],
      },
      {
        category: 'open_pit',
        name: '西湖矿业留下建筑石料矿',
        place: ['浙江省杭州市西湖区留下街道小和山', '120.0567', '30.2431'],
        steps: ['county'],
      },
      {
        category: 'exploration',
        name: '西湖矿业地质勘查队',
        place: ['浙江省杭州市西湖区文三路 508 号', '120.1297', '30.2792'],
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
      {
        category: 'tailings',
        name: '西湖矿业双浦尾矿库（新建）',
        place: ['浙江省杭州市西湖区双浦镇铜鉴湖村', '120.1021', '30.1425'],
        submit: false,
      },
      {
        category: 'open_pit',
        name: '西湖矿业周浦石灰岩矿',
        place: ['浙江省杭州市西湖区双浦镇周浦村', '120.0918', '30.1307'],
        overrides: { mineral: 'limestone' },
        steps: ['county', 'return:city:边坡最大高度与设计不符，请县局督促企业核实'],
      },
      {
        category: 'excavation',
        name: '西湖矿业井巷施工项目部',
        place: ['浙江省杭州市西湖区三墩镇振华路 298 号', '120.0941', '30.3085'],
        steps: UP4,
        change: true,
      },
    ],
  },
  {
    username: 'demo_ent2',
    name: '杭州拱墅建材矿业有限公司',
    contact: [
      '浙江省杭州市拱墅区石桥路 279 号',
      '310015',
      '沈国强',
      '吴海东',
      '钱晓燕',
      '0571-88152736',
      '13806528173',
    ],
    region: '330105',
    supervising: '330105',
    code17: '91330105MA28YQ002',
    systems: [
      {
        category: 'open_pit',
        name: '拱墅建材半山石料矿',
        place: ['浙江省杭州市拱墅区半山街道半山村', '120.1838', '30.3492'],
        steps: ['county'],
      },
      {
        category: 'tailings',
        name: '拱墅建材康桥尾矿库',
        licence: 'expiring',
        place: ['浙江省杭州市拱墅区康桥街道康桥村', '120.1602', '30.3597'],
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
        place: ['浙江省杭州市拱墅区石桥街道华丰村', '120.2011', '30.3319'],
        overrides: { mineral: 'fluorite' },
        steps: ['county', 'city', 'province'],
      },
      {
        category: 'open_pit',
        name: '拱墅建材祥符砂石矿',
        licence: 'expired',
        place: ['浙江省杭州市拱墅区祥符街道勾山里', '120.1397', '30.3398'],
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
    contact: [
      '浙江省杭州市余杭区文一西路 1500 号',
      '311121',
      '王立新',
      '李卫东',
      '张慧敏',
      '0571-89017325',
      '13867451290',
    ],
    region: '330110',
    supervising: '330100',
    code17: '91330100MA2H3T003',
    systems: [
      {
        category: 'underground',
        name: '钱江矿业余杭金矿',
        place: ['浙江省杭州市余杭区鸬鸟镇太公堂村', '119.8275', '30.4721'],
        overrides: { mineral: 'gold', scale: 'medium' },
        steps: [],
      },
      {
        category: 'tailings',
        name: '钱江矿业余杭尾矿库',
        place: ['浙江省杭州市余杭区鸬鸟镇前庄村', '119.8412', '30.4603'],
        overrides: { safety_degree: 'dangerous', grade: '3' },
        steps: ['city', 'province', 'national'],
      },
    ],
  },
  {
    username: 'demo_ent4',
    name: '浙江省能源石油开发有限公司',
    contact: [
      '浙江省杭州市西湖区天目山路 152 号',
      '310007',
      '郑志刚',
      '何永平',
      '林静',
      '0571-85063417',
      '13735816402',
    ],
    region: '330106',
    supervising: '330000',
    code17: '91330000MA2J8P004',
    systems: [
      {
        category: 'oil_gas_onshore',
        name: '浙能石油杭州储运站',
        place: ['浙江省杭州市西湖区转塘街道之江路 1088 号', '120.1204', '30.1903'],
        overrides: { region_code: '330106' },
        steps: [],
      },
    ],
  },
  {
    username: 'demo_offshore_ent',
    name: '中海石油（中国）有限公司天津分公司',
    contact: [
      '天津市滨海新区海川路 2121 号',
      '300459',
      '刘振华',
      '孙海涛',
      '赵敏',
      '022-66503817',
      '13920847315',
    ],
    region: '120116',
    supervising: 'HYAB-CNOOC-TJ',
    code17: '91120116MA05LD005',
    systems: [
      {
        category: 'oil_gas_offshore',
        name: '渤中 34-2 油田群作业区',
        place: ['渤海海域渤中 34-2 油田中心平台', '119.7041', '38.6125'],
        steps: [],
      },
      {
        category: 'oil_gas_offshore',
        name: '绥中 36-1 油田作业区',
        place: ['辽东湾海域绥中 36-1 油田中心平台', '120.7215', '40.0582'],
        steps: ['HYAB-CNOOC-TJ', 'HYAB-CNOOC', 'HYAB', 'national'] as Step[],
      },
    ],
  },
  {
    username: 'demo_ownerless',
    name: '西湖区无主尾矿库（区安监局代填）',
    contact: [
      '浙江省杭州市西湖区文三路 1 号',
      '310012',
      '无',
      '无',
      '杨晓东',
      '0571-87803215',
      '13605718264',
    ],
    region: '330106',
    supervising: '330106',
    code17: '11330106MB1C0N006',
    ownerless: true,
    systems: [
      {
        category: 'tailings',
        name: '转塘废弃尾矿库',
        place: ['浙江省杭州市西湖区转塘街道上城埭村东坞', '120.0726', '30.1684'],
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

/** What the demo seeding works with: the database for the accounts it issues itself, and the services. */
interface Seeder {
  knex: Knex;
  services: Services;
  hasher: PasswordHasher;
}

export async function seedDemo(knex: Knex, services: Services): Promise<string[]> {
  const seeder: Seeder = { knex, services, hasher: passwordHasher(services.config.bcryptCost) };
  const users = usersRepo(seeder.knex);
  const org = orgRepo(seeder.knex);
  if (!(await users.byUsername('demo_county'))) {
    const hash = await seeder.hasher.hash(DEMO_PASSWORD);
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
    for (const e of ENTERPRISES) await seedEnterprise(seeder, e);
    await seedCampaign(seeder);
  }
  return [
    `演示账号（密码均为 ${DEMO_PASSWORD}）：`,
    ...REGULATORS.map((r) => `  ${r.username.padEnd(18)} ${r.role}`),
    `  ${'demo_ent'.padEnd(18)} 企业（杭州西湖矿业有限公司）`,
  ];
}

/** The current round, so the timetable, due dates and reminders have something to go by. */
async function seedCampaign(seeder: Seeder): Promise<void> {
  const national = await reviewerFor(seeder, 'national', '000000');
  await seeder.services.campaign.save(national, {
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

/** China's date `days` from now, as a form date (YYYY-MM-DD). */
function chinaDate(days: number, now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Licence and permit numbers of the n-th demo system: each its own, and dates relative to today
 * (a demo seeded any day has valid licences, one expiring within 90 days and one expired).
 */
function demoNumbers(
  n: number,
  licence: DemoSystem['licence'],
  province: string,
  example: Record<string, unknown>,
): Record<string, string> {
  const expiresIn = licence === 'expired' ? -40 : licence === 'expiring' ? 45 : 400 + n * 53;
  const issuedYear = Number(chinaDate(expiresIn - 3 * 365).slice(0, 4));
  return {
    safety_license_no: `（${province}）FM安许证字〔${issuedYear}〕${String(1187 + n * 379).padStart(4, '0')}号`,
    safety_license_issued: chinaDate(expiresIn - 3 * 365 + 1),
    safety_license_expires: chinaDate(expiresIn),
    ...(typeof example.mining_license_no === 'string'
      ? { mining_license_no: `C3301002${issuedYear}${String(71050000000 + n * 7919).padStart(11, '0')}` }
      : {}),
    ...(typeof example.qualification_no === 'string' ? { qualification_no: `33201${100187 + n * 13}` } : {}),
  };
}

let serial = 0;

async function seedEnterprise(seeder: Seeder, e: DemoEnterprise): Promise<void> {
  const org = orgRepo(seeder.knex);
  const supervising = await org.agencyByCode(e.supervising);
  if (!supervising) return;
  const body = exampleEnterpriseData({
    credit_code: withCreditCodeCheck(e.code17),
    name: e.name,
    region_code: e.region,
    supervising_agency_id: String(supervising.id),
    ownerless: e.ownerless ? 'true' : 'false',
    offshore_operator: supervising.level === 'offshore' ? 'true' : 'false',
    address: e.contact[0],
    postcode: e.contact[1],
    legal_rep: e.contact[2],
    safety_head: e.contact[3],
    contact_name: e.contact[4],
    contact_phone: e.contact[5],
    contact_mobile: e.contact[6],
    email: '',
    username: e.username,
    password: DEMO_PASSWORD,
    password_confirm: DEMO_PASSWORD,
    captcha: 'demo',
  });
  // An ownerless pond's enterprise is registered by its supervising agency, as in real life.
  const { userId } = await seeder.services.registration.register(body, {
    expectedCaptcha: 'demo',
    registeredByAgencyId: e.ownerless ? supervising.id : null,
  });
  await usersRepo(seeder.knex).markDemo(userId);
  const owner = (await seeder.services.session.currentUser(userId)) as EnterpriseUser;
  for (const s of e.systems) {
    const example = exampleSystemData(s.category);
    const id = await seeder.services.filing.createDraft(owner, s.category, {
      ...example,
      // Located where the enterprise is (offshore fields have no county).
      ...(s.place ? { address: s.place[0], longitude: s.place[1], latitude: s.place[2] } : {}),
      ...(s.category === 'oil_gas_offshore' ? {} : { region_code: e.region }),
      ...demoNumbers(serial++, s.licence, e.region.startsWith('12') ? '津' : '浙', example),
      name: s.name,
      ...s.overrides,
    });
    if (s.submit === false) continue;
    await seeder.services.workflow.submit(owner, id);
    for (const step of s.steps ?? []) {
      const [kind, level, reason] = step.split(':');
      const reviewer = await reviewerFor(seeder, kind === 'return' ? level : kind, e.supervising);
      if (kind === 'return') await seeder.services.workflow.return(reviewer, id, reason);
      else await seeder.services.workflow.approve(reviewer, id, '同意');
    }
    if (s.change) {
      await seeder.services.workflow.reopen(owner, id);
    }
  }
}

/** The demo reviewer of a level on the enterprise's chain (or of an agency code). */
async function reviewerFor(seeder: Seeder, level: string, supervising: string): Promise<CurrentUser> {
  const byLevel: Record<string, string> = {
    county: supervising === '330105' ? 'demo_county2' : 'demo_county',
    city: 'demo_city',
    province: 'demo_province',
    national: 'demo_national',
    'HYAB-CNOOC-TJ': 'demo_offshore',
  };
  const username = byLevel[level];
  const user = username ? await usersRepo(seeder.knex).byUsername(username) : undefined;
  if (user) return (await seeder.services.session.currentUser(user.id)) as CurrentUser;
  // Agencies without a demo account (the offshore branch and office above 天津监督处) act
  // through an account issued for them on the spot.
  const agency = await orgRepo(seeder.knex).agencyByCode(level);
  if (!agency) throw new Error(`demo: no agency ${level}`);
  const id = await usersRepo(seeder.knex).insert({
    username: `demo_${level.toLowerCase().replace(/[^a-z0-9]/g, '_')}`,
    password_hash: await seeder.hasher.hash(DEMO_PASSWORD),
    role: 'regulator',
    agency_id: agency.id,
    name: `演示审核员（${agency.name}）`,
    must_change_password: false,
    is_demo: true,
  });
  return (await seeder.services.session.currentUser(id)) as CurrentUser;
}
