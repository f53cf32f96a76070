import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { seedReferenceData } from '../../seeds/01_reference_data';
import { storedRepo } from '../data/stored';
import { benchDataRepo, type BenchAgency } from '../data/benchData';
import { usersRepo } from '../data/users';
import { passwordHasher } from '../services/passwords';
import { regulatorUsername } from '../services/accountIssuance';
import { withCreditCodeCheck } from '../domain/creditCode';
import { historyHash } from '../domain/historyHash';
import { trackingStatuses, type ChainStatuses } from '../domain/tracking';
import { pathCodes } from '../domain/orgTree';
import { decide, DRAFT, type Actor, type Command, type Position } from '../domain/workflow';
import {
  categories,
  exampleSystemData,
  MINERALS,
  validateSystem,
  type Category,
  type SystemData,
} from '../domain/systems';
import { runCli } from './runCli';

// National-scale data for benchmarks (SPEC §11): ≈70,000 enterprises, 100,000 production
// systems and ≈1,000,000 history rows, in a DEDICATED database. Rows are bulk-inserted for
// speed, but every system's life is played through the real workflow rules (domain decide),
// and every history row is hash-chained like the app writes it, so the data passes
// `npm run verify:history` and every page sees consistent states.

const CATEGORY_WEIGHTS: [Category, number][] = [
  ['open_pit', 37000],
  ['tailings', 11000],
  ['underground', 6000],
  ['exploration', 18000],
  ['excavation', 16000],
  ['oil_gas_onshore', 11000],
  ['oil_gas_offshore', 1000],
];

/** A small deterministic PRNG so that two runs make the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

type Agency = BenchAgency;

export async function generateBenchData(
  knex: Knex,
  opts: { systems: number; password: string; bcryptCost: number; log?: (s: string) => void },
): Promise<{ enterprises: number; systems: number; history: number }> {
  const log = opts.log ?? (() => {});
  const r = rng(20261129);
  await seedReferenceData(knex);
  const bench = benchDataRepo(knex);
  const agencies = await bench.agencies();
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const chainOf = (a: Agency) =>
    pathCodes(a.path)
      .reverse()
      .map((c) => byCode.get(c)!.id);
  const counties = agencies.filter((a) => a.level === 'county');
  const cities = agencies.filter((a) => a.level === 'city');
  const provinces = agencies.filter((a) => a.level === 'province' && a.region_code);
  const offices = agencies.filter((a) => a.level === 'offshore' && a.path.split('/').length === 6);
  const hash = await passwordHasher(opts.bcryptCost).hash(opts.password);

  // Regulator accounts for every agency (one shared hash: bcrypt once, not 3,000 times).
  await usersRepo(knex).insertUnlessTaken(
    agencies.map((a) => ({
      username: regulatorUsername(a.code),
      password_hash: hash,
      role: 'regulator',
      agency_id: a.id,
      name: '基准测试审核员',
      must_change_password: false,
    })),
  );
  const userOfAgency = await bench.regulatorOfAgency();

  const totalWeight = CATEGORY_WEIGHTS.reduce((n, [, w]) => n + w, 0);
  const pickCategory = (): Category => {
    let x = r.next() * totalWeight;
    for (const [c, w] of CATEGORY_WEIGHTS) if ((x -= w) < 0) return c;
    return 'open_pit';
  };
  const examples = new Map(
    categories.map((c) => [c.code, validateSystem(c.code, exampleSystemData(c.code), 'draft').data]),
  );
  const minerals = MINERALS.map((m) => m.value);
  // An enterprise lies in a county-level region of its agency's region (a city's or province's
  // enterprise in one of its counties), and its systems lie there too.
  const leaves = await bench.leafRegions();
  const regionName = new Map(leaves.map((l) => [l.code, l.full_name]));
  const leavesUnder = new Map<string, string[]>();
  const leafUnder = (code: string | null): string => {
    if (code === null) return '120116'; // offshore operators: 天津滨海新区, as the demo's
    if (regionName.has(code)) return code;
    const prefix = code.endsWith('0000') ? code.slice(0, 2) : code.slice(0, 4);
    if (!leavesUnder.has(prefix))
      leavesUnder.set(
        prefix,
        leaves.filter((l) => l.code.startsWith(prefix)).map((l) => l.code),
      );
    const under = leavesUnder.get(prefix)!;
    return under.length ? r.pick(under) : code;
  };

  const systemsTarget = opts.systems;
  let enterpriseCount = 0;
  let systemCount = 0;
  let historyCount = 0;
  const now = Date.now();
  const DAY = 86400000;

  while (systemCount < systemsTarget) {
    const batchEnterprises: Record<string, unknown>[] = [];
    const plans: { category: Category; agency: Agency; region: string }[][] = [];
    for (let i = 0; i < 1000 && systemCount + plans.flat().length < systemsTarget; i++) {
      enterpriseCount++;
      const category = pickCategory();
      const roll = r.next();
      const agency =
        category === 'oil_gas_offshore'
          ? r.pick(offices)
          : roll < 0.85
            ? r.pick(counties)
            : roll < 0.96
              ? r.pick(cities)
              : r.pick(provinces);
      const n = r.chance(0.3) ? r.int(2, 3) : 1;
      const region = leafUnder(agency.region_code);
      plans.push(
        Array.from({ length: n }, (_, k) => ({
          category: k === 0 ? category : category === 'oil_gas_offshore' ? category : pickCategory(),
          agency,
          region,
        })),
      );
      batchEnterprises.push({
        credit_code: withCreditCodeCheck(
          `91${String(enterpriseCount).padStart(8, '0')}MA${String(enterpriseCount * 7).padStart(5, '0')}`.slice(
            0,
            17,
          ),
        ),
        name: `基准矿业有限公司${enterpriseCount}`,
        economic_type: '150',
        affiliation: '50',
        legal_rep: '张三',
        safety_head: '李四',
        contact_name: '王五',
        contact_phone: '0571-88001234',
        address: `${regionName.get(region) ?? ''}某某镇`,
        postcode: '310000',
        region_code: region,
        supervising_agency_id: agency.id,
        ownerless: false,
      });
    }
    await knex.transaction(async (trx) => {
      const tx = benchDataRepo(trx);
      const ents = await tx.insertEnterprises(batchEnterprises);
      const entUsers = await tx.insertUsers(
        ents.map((e) => ({
          username: `bench_ent_${e.id}`,
          password_hash: hash,
          role: 'enterprise',
          enterprise_id: e.id,
          must_change_password: false,
        })),
      );
      const userOfEnt = new Map(entUsers.map((u) => [u.enterprise_id, u.id]));

      const systemRows: Record<string, unknown>[] = [];
      const lives: {
        versions: { data: SystemData; at: Date }[];
        history: Record<string, unknown>[];
        statuses: ChainStatuses;
      }[] = [];
      ents.forEach((e, i) => {
        for (const plan of plans[i]) {
          systemCount++;
          const data: SystemData = {
            ...examples.get(plan.category)!,
            name: `基准生产系统${systemCount}`,
            region_code: plan.region,
            address: `${regionName.get(plan.region) ?? ''}某某村`,
          };
          if ('mineral' in data) data.mineral = r.pick(minerals);
          if ('scale' in data) data.scale = r.pick(['large', 'medium', 'small', 'small', 'small']);
          if ('safety_degree' in data)
            data.safety_degree = r.pick([
              'normal',
              'normal',
              'normal',
              'normal',
              'sick',
              'dangerous',
              'critical',
            ]);
          if ('grade' in data) data.grade = String(r.int(2, 5));
          if ('overhead' in data) {
            data.overhead = r.chance(0.15);
            data.downstream_households = data.overhead ? r.int(5, 300) : null;
            data.downstream_people = data.overhead ? r.int(20, 1200) : null;
          }
          data.production_status = r.pick([
            'producing',
            'producing',
            'producing',
            'construction',
            'suspended',
            'long_idle',
            'closed',
          ]);
          const expires = new Date(now + r.int(-200, 1000) * DAY);
          data.safety_license_expires = expires.toISOString().slice(0, 10);
          data.safety_license_issued = new Date(expires.getTime() - 3 * 365 * DAY).toISOString().slice(0, 10);

          const agency = byId.get(e.supervising_agency_id)!;
          const chain = chainOf(agency);
          const life = playLife(
            r,
            chain,
            now - r.int(30, 400) * DAY,
            userOfEnt.get(e.id)!,
            e.id,
            userOfAgency,
          );
          lives.push({
            versions: life.versions.map((at) => ({ data, at })),
            history: life.history,
            statuses: trackingStatuses(life.position, chain, life.storedVersion !== null),
          });
          systemRows.push({
            enterprise_id: e.id,
            category: plan.category,
            name: data.name,
            draft_data: JSON.stringify(data),
            state: life.position.state,
            current_agency_id: life.position.agencyId,
            arrival: life.position.arrival,
            supervising_agency_id: agency.id,
            latest_version: life.versions.length,
            stored_version: life.storedVersion,
            stored_at: life.storedAt,
            workflow_seq: life.history.length,
            state_changed_at: life.lastAt,
            created_at: new Date(life.startAt),
            updated_at: life.lastAt,
          });
        }
      });
      const ids = await tx.insertSystems(systemRows);
      const versionRows: Record<string, unknown>[] = [];
      const historyRows: Record<string, unknown>[] = [];
      const trackingRows: Record<string, unknown>[] = [];
      ids.forEach(({ id }, k) => {
        const row = systemRows[k];
        lives[k].versions.forEach((v, j) =>
          versionRows.push({
            system_id: id,
            version: j + 1,
            category: row.category,
            name: row.name,
            data: JSON.stringify(v.data),
            submitted_by: lives[k].history[0].actor_user_id,
            submitted_at: v.at,
          }),
        );
        let prev: string | null = null;
        lives[k].history.forEach((h, j) => {
          const content = { ...(h as object), system_id: id, seq: j + 1, prev_hash: prev } as Parameters<
            typeof historyHash
          >[0];
          const full = { ...content, hash: historyHash(content) };
          prev = full.hash;
          historyRows.push(full);
        });
        // 信息追踪 as the workflow service keeps it: each agency's latest action, today's status.
        const latest = new Map<number, Record<string, unknown>>();
        for (const h of lives[k].history) if (h.actor_agency_id) latest.set(h.actor_agency_id as number, h);
        const { onChain, offChain } = lives[k].statuses;
        for (const [agencyId, h] of latest)
          trackingRows.push({
            agency_id: agencyId,
            system_id: id,
            category: row.category,
            status: onChain.find(([a]) => a === agencyId)?.[1] ?? offChain,
            state_changed_at: row.state_changed_at,
            last_action: h.action,
            last_action_to_state: h.to_state,
            last_action_at: h.at,
          });
      });
      await tx.insertAll('system_versions', versionRows);
      await tx.insertAll('history', historyRows);
      await tx.insertAll('tracking', trackingRows);
      historyCount += historyRows.length;
    });
    log(`  ${systemCount} 个生产系统、${historyCount} 条历史……`);
  }
  // The query table of stored systems is kept by the workflow when it stores; bulk rows skip
  // it, so it is rebuilt once here.
  await storedRepo(knex).refreshAll();
  await bench.vacuumAnalyze();
  return { enterprises: enterpriseCount, systems: systemCount, history: historyCount };
}

/** Plays one system's life through the workflow rules: submissions, approvals, returns, changes. */
function playLife(
  r: ReturnType<typeof rng>,
  chain: number[],
  startAt: number,
  enterpriseUserId: number,
  enterpriseId: number,
  userOfAgency: Map<number, number>,
) {
  let position: Position = DRAFT;
  let at = startAt;
  const history: Record<string, unknown>[] = [];
  const versions: Date[] = [];
  let storedVersion: number | null = null;
  let storedAt: Date | null = null;
  const step = (actor: Actor, command: Command) => {
    const d = decide(position, chain, actor, command);
    if (!d.ok) throw new Error(`bench life refused: ${d.refusal}`);
    at += r.int(1, 72) * 3600000;
    const when = new Date(at);
    if (command.type === 'submit') versions.push(when);
    const agencyId = actor.kind === 'agency' ? actor.agencyId : null;
    history.push({
      at: when,
      action: d.historyAction,
      actor_user_id: agencyId ? userOfAgency.get(agencyId)! : enterpriseUserId,
      actor_name: agencyId ? '基准测试审核员' : '王五',
      actor_agency_id: agencyId,
      actor_enterprise_id: agencyId ? null : enterpriseId,
      from_state: position.state,
      from_agency_id: position.agencyId,
      from_arrival: position.arrival,
      to_state: d.next.state,
      to_agency_id: d.next.agencyId,
      to_arrival: d.next.arrival,
      version: versions.length,
      note: d.note,
      fields: [],
    });
    position = d.next;
    if (position.state === 'stored') {
      storedVersion = versions.length;
      storedAt = when;
    }
  };
  const agency = (id: number): Actor => ({ kind: 'agency', agencyId: id });
  const climb = (upTo: number) => {
    for (let i = 0; i < upTo; i++) step(agency(chain[i]), { type: 'approve', comment: i % 2 ? '同意' : '' });
  };
  const cascade = (from: number) => {
    for (let i = from; i >= 0; i--) step(agency(chain[i]), { type: 'return', reason: '请核实后重新填报' });
  };
  const fate = r.next();
  if (fate < 0.15) return finish(); // never submitted
  step({ kind: 'enterprise' }, { type: 'submit' });
  // Most filings meet a return or two somewhere on the way up and go round again.
  const rounds = r.chance(0.35) ? 0 : r.chance(0.6) ? 1 : 2;
  for (let k = 0; k < rounds; k++) {
    const where = r.int(0, chain.length - 1);
    climb(where);
    cascade(where);
    if (fate < 0.2 && k === rounds - 1) return finish(); // left returned
    step({ kind: 'enterprise' }, { type: 'submit' });
  }
  if (fate < 0.38) {
    climb(r.int(0, chain.length - 1)); // pending somewhere on the chain
    return finish();
  }
  climb(chain.length); // stored
  if (r.chance(0.25)) {
    step({ kind: 'enterprise' }, { type: 'reopen' });
    step({ kind: 'enterprise' }, { type: 'submit' });
    climb(r.chance(0.5) ? chain.length : r.int(0, chain.length - 1));
  }
  return finish();

  function finish() {
    return { position, history, versions, storedVersion, storedAt, startAt, lastAt: new Date(at) };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      systems: { type: 'string', default: '120000' },
      password: { type: 'string', default: 'Bench2026pass' },
    },
  });
  const config = loadConfig();
  // Every generated account shares one password, printed below: never on a production server.
  if (config.env === 'production') throw new Error('基准测试数据不能在生产环境（NODE_ENV=production）生成');
  if (!config.databaseUrl) throw new Error('请用 DATABASE_URL 指定一个专用于基准测试的 PostgreSQL 数据库');
  const db = await openDatabase(config, { command: 'bench:data' });
  try {
    if ((await benchDataRepo(db.knex).systemCount()) > 0)
      throw new Error('该数据库已有生产系统数据；请使用一个新建的空数据库');
    const started = Date.now();
    const result = await generateBenchData(db.knex, {
      systems: Number(values.systems),
      password: values.password!,
      bcryptCost: config.bcryptCost,
      log: console.log,
    });
    console.log(
      `完成：企业 ${result.enterprises} 家、生产系统 ${result.systems} 个、操作历史 ${result.history} 条，用时 ${((Date.now() - started) / 1000).toFixed(0)} 秒。所有账号密码：${values.password}`,
    );
  } finally {
    await db.close();
  }
}

if (require.main === module) runCli(main);
