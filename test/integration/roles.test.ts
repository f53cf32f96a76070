import { startTestApp, type TestApp } from '../support/app';
import { csrfFrom, Visitor } from '../support/browser';
import { routesOf } from '../support/routes';
import { CHAIN, createAdmin, createEnterprise, createRegulator, PASSWORD } from '../support/fixtures';

// 三员分立: every administrator's and auditor's page answers 200 to its own role only, and 404 to
// the other two administrators, to regulators and to enterprises — found from the app's routes,
// so that a page added later is covered too.
type Who = 'sysadmin' | 'secadmin' | 'auditor' | 'regulator' | 'enterprise';
let t: TestApp;
const visitors = {} as Record<Who, Visitor>;

beforeAll(async () => {
  t = await startTestApp();
  const reg = await createRegulator(t, CHAIN.county);
  const ent = await createEnterprise(t);
  for (const role of ['sysadmin', 'secadmin', 'auditor'] as const) await createAdmin(t, role);
  const names: Record<Who, string> = {
    sysadmin: 'sysadmin',
    secadmin: 'secadmin',
    auditor: 'auditor',
    regulator: reg.username,
    enterprise: ent.username,
  };
  for (const who of Object.keys(names) as Who[]) {
    visitors[who] = new Visitor(t.app);
    expect((await visitors[who].login(names[who], PASSWORD)).status).toBe(302);
  }
});
afterAll(async () => t.close());

/** Who owns a URL, written out here rather than read from the code under test. */
function ownerOf(path: string): Who {
  if (path.startsWith('/admin/users')) return 'sysadmin';
  if (path.startsWith('/admin/security')) return 'secadmin';
  if (path.startsWith('/audit')) return 'auditor';
  throw new Error(`no owner for ${path}`);
}

const adminRoutes = () => routesOf(t.app).filter((r) => /^\/(admin|audit)(\/|\.xlsx$|$)/.test(r.path));
const concrete = (p: string) => p.replace(/:[a-z]+/gi, '1');

describe('三员分立', () => {
  it('lands each role on its own page', async () => {
    expect((await visitors.sysadmin.get('/')).headers.location).toBe('/admin/users');
    expect((await visitors.secadmin.get('/')).headers.location).toBe('/admin/security');
    expect((await visitors.auditor.get('/')).headers.location).toBe('/audit');
  });

  it('answers every admin and audit page 200 to its own role only, 404 to everyone else', async () => {
    const pages = adminRoutes().filter((r) => r.method === 'get' && !r.path.includes(':'));
    expect(pages.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/admin/users',
        '/admin/users/issue',
        '/admin/security',
        '/admin/security/accounts',
        '/audit',
        '/audit.xlsx',
      ]),
    );
    for (const { path } of pages) {
      for (const who of Object.keys(visitors) as Who[]) {
        const status = (await visitors[who].get(path)).status;
        expect(`${who} GET ${path} → ${status}`).toBe(
          `${who} GET ${path} → ${who === ownerOf(path) ? 200 : 404}`,
        );
      }
    }
  });

  it('answers every admin and audit page of one record 200 to its own role only (a real id)', async () => {
    const pages = adminRoutes().filter((r) => r.method === 'get' && r.path.includes(':'));
    expect(pages.map((r) => r.path)).toContain('/audit/:id');
    const { id } = await t.knex('audit_log').orderBy('seq').first('id');
    for (const { path } of pages) {
      for (const who of Object.keys(visitors) as Who[]) {
        const status = (await visitors[who].get(path.replace(':id', String(id)))).status;
        expect(`${who} GET ${path} → ${status}`).toBe(
          `${who} GET ${path} → ${who === ownerOf(path) ? 200 : 404}`,
        );
      }
    }
  });

  it('refuses every admin and audit POST to the other roles with 404 (a valid CSRF token)', async () => {
    const posts = adminRoutes().filter((r) => r.method === 'post');
    expect(posts.length).toBeGreaterThanOrEqual(4);
    for (const { path } of posts) {
      for (const who of Object.keys(visitors) as Who[]) {
        if (who === ownerOf(path)) continue;
        const token = csrfFrom((await visitors[who].get('/account')).text);
        const status = (await visitors[who].postWithToken(concrete(path), {}, token)).status;
        expect(`${who} POST ${path} → ${status}`).toBe(`${who} POST ${path} → 404`);
      }
    }
  });

  it('shows each role its own menu only', async () => {
    const nav = async (who: Who) => (await visitors[who].get('/account')).text.split('</nav>')[0];
    expect(await nav('sysadmin')).toContain('账号管理');
    expect(await nav('sysadmin')).not.toContain('安全策略');
    expect(await nav('secadmin')).toContain('安全策略');
    expect(await nav('secadmin')).not.toContain('账号管理');
    expect(await nav('auditor')).toContain('审计日志');
    expect(await nav('auditor')).not.toMatch(/账号管理|安全策略/);
  });
});
