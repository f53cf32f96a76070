import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, TEST_CAPTCHA, type TestApp } from '../support/app';
import { createServices } from '../../src/services';
import { seedDemo, DEMO_PASSWORD } from '../../src/cli/demoData';
import { issueAccounts } from '../../src/cli/issueAccounts';
import type { LoginAttempt } from '../../src/services/auth';

// The demo's accounts share a password published in the source: they are marked in the
// database, refused at login by a production server, and not taken for an agency's account.
let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.knex, t.services);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-accounts-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const attempt = (username: string, password = DEMO_PASSWORD): LoginAttempt => ({
  username,
  password,
  captcha: TEST_CAPTCHA,
  expectedCaptcha: TEST_CAPTCHA,
  address: '192.0.2.7',
});
const productionAuth = () => createServices(t.knex, { ...t.config, env: 'production' }).auth;

describe('demo accounts', () => {
  it('are all marked as demo accounts', async () => {
    const demo = await t.knex('users').where('username', 'like', 'demo\\_%').select('username', 'is_demo');
    expect(demo.length).toBeGreaterThanOrEqual(12); // six regulators (and helpers), six enterprises
    expect(demo.filter((u) => !u.is_demo)).toEqual([]);
  });

  it('log in outside production', async () => {
    expect((await t.services.auth.login(attempt('demo_national'))).ok).toBe(true);
    expect((await t.services.auth.login(attempt('demo_ent'))).ok).toBe(true);
  });

  it('cannot log in in production, with the answer an unknown username gets', async () => {
    const auth = productionAuth();
    const unknown = await auth.login(attempt('no_such_user'));
    expect(unknown).toMatchObject({ ok: false, message: expect.stringMatching(/^用户名或密码错误/) });
    for (const username of ['demo_national', 'demo_county', 'demo_ent', 'demo_offshore_ent'])
      expect(await auth.login(attempt(username))).toEqual(unknown);
  });

  it('leave real accounts logging in in production', async () => {
    const [row] = await issueAccounts(t.knex, 4, {
      out: path.join(dir, 'city.csv'),
      region: '330100',
      level: 'city',
    });
    const result = await productionAuth().login(attempt(row.username, row.initial_password));
    expect(result.ok).toBe(true);
  });

  it('do not stop accounts:issue from issuing the 总局 account', async () => {
    const issued = await issueAccounts(t.knex, 4, {
      out: path.join(dir, 'national.csv'),
      level: 'national',
    });
    expect(issued.map((a) => [a.agency_code, a.username])).toEqual([['000000', 'aj000000']]);
  });
});

// Demo data is what a regulator judges the system by: it must read like real filings (issue 12).
describe('demo data', () => {
  it('reads like real filings: own licence numbers, dates around today, places that match', async () => {
    const drafts: { name: string; draft_data: Record<string, string>; region_code: string }[] = await t
      .knex('production_systems as ps')
      .join('enterprises as e', 'e.id', 'ps.enterprise_id')
      .select('ps.name', 'ps.draft_data', 'e.region_code');
    const licensed = drafts.filter((d) => d.draft_data.safety_license_no);
    expect(licensed.length).toBeGreaterThan(10);
    expect(new Set(licensed.map((d) => d.draft_data.safety_license_no)).size).toBe(licensed.length);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const expired = licensed.filter((d) => d.draft_data.safety_license_expires < today).map((d) => d.name);
    expect(expired).toEqual(['拱墅建材祥符砂石矿']);
    const mine = drafts.find((d) => d.name === '西湖矿业转塘铅锌矿')!;
    expect(mine.draft_data.mineral).toBe('lead_zinc');
    for (const d of drafts) {
      expect(d.draft_data.address).not.toMatch(/某|矿区$/);
      // Onshore systems lie in their enterprise's county, with an address there.
      if (d.draft_data.region_code) expect(d.draft_data.region_code).toBe(d.region_code);
    }
    const enterprises: { name: string; address: string; region_code: string; legal_rep: string }[] = await t
      .knex('enterprises')
      .select('name', 'address', 'region_code', 'legal_rep');
    for (const e of enterprises) {
      expect(e.legal_rep).not.toContain('某');
      if (e.region_code.startsWith('3301')) expect(e.address).toMatch(/^浙江省杭州市/);
    }
  });
});
