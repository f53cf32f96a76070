import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startTestApp, type TestApp } from '../support/app';
import { routesOf, type Route } from '../support/routes';
import { csrfFrom, Visitor } from '../support/browser';
import { CHAIN, createAdmin, createEnterprise, createRegulator, PASSWORD } from '../support/fixtures';
import { allFields, categories } from '../../src/domain/systems';
import { registrationSections } from '../../src/domain/enterprise';
import { BAD_TEXT_MESSAGE } from '../../src/domain/textInput';

// NUL in any parameter or field is refused before it reaches a route or a query. The routes
// are read from the app itself and the field names from the views and the form definitions,
// so a new route or field is covered without editing this file.

/** Every `name="…"` of the views' forms, and every field of the filing and registration forms. */
function fieldNames(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else for (const m of fs.readFileSync(file, 'utf8').matchAll(/name="([a-z_]+)"/g)) names.add(m[1]);
    }
  };
  walk(path.resolve(__dirname, '../../views'));
  for (const def of [...categories, { sections: registrationSections }])
    for (const f of allFields(def)) names.add(f.code);
  names.delete('_csrf');
  return [...names].sort();
}

let t: TestApp;
let visitors: Record<'anonymous' | 'regulator' | 'enterprise' | 'sysadmin' | 'secadmin', Visitor>;

beforeAll(async () => {
  t = await startTestApp();
  const reg = await createRegulator(t, CHAIN.county);
  const ent = await createEnterprise(t);
  await createAdmin(t, 'sysadmin');
  await createAdmin(t, 'secadmin');
  visitors = {
    anonymous: new Visitor(t.app),
    regulator: new Visitor(t.app),
    enterprise: new Visitor(t.app),
    sysadmin: new Visitor(t.app),
    secadmin: new Visitor(t.app),
  };
  await visitors.anonymous.get('/login');
  expect((await visitors.regulator.login(reg.username, PASSWORD)).status).toBe(302);
  expect((await visitors.enterprise.login(ent.username, PASSWORD)).status).toBe(302);
  expect((await visitors.sysadmin.login('sysadmin', PASSWORD)).status).toBe(302);
  expect((await visitors.secadmin.login('secadmin', PASSWORD)).status).toBe(302);
});
afterAll(async () => t.close());

/** The visitor who can reach the route, so that the refusal is not a 404 or a login redirect. */
function visitorFor(route: Route): Visitor {
  if (/^\/(review|stored|tracking|stats|account)/.test(route.path)) return visitors.regulator;
  if (route.path.startsWith('/enterprise')) return visitors.enterprise;
  if (route.path.startsWith('/admin/security')) return visitors.secadmin;
  if (route.path.startsWith('/admin')) return visitors.sysadmin;
  return visitors.anonymous;
}

async function tokenOf(v: Visitor): Promise<string> {
  return csrfFrom((await v.get(v === visitors.anonymous ? '/login' : '/account')).text);
}

const concrete = (p: string) => p.replace(/:[a-z]+/gi, '1');

function expectRefused(res: { status: number; text: string }, what: string) {
  if (res.status !== 400 || !res.text.includes(BAD_TEXT_MESSAGE)) throw new Error(`${what}: ${res.status}`);
}

// Every route × every field name: a few thousand requests, which on a loaded machine take longer
// than jest's default 30 s (a budget, not a timing assertion).
const SWEEP_BUDGET_MS = 180_000;

describe('text that cannot be stored', () => {
  it(
    'is refused with 400 in every query parameter of every route',
    async () => {
      const routes = routesOf(t.app);
      expect(routes.length).toBeGreaterThan(30);
      const names = fieldNames();
      for (const route of routes) {
        const v = visitorFor(route);
        const token = route.method === 'post' ? await tokenOf(v) : undefined;
        for (const name of names) {
          const url = `${concrete(route.path)}?${name}=a%00b`;
          const res =
            route.method === 'get'
              ? await v.get(url)
              : await v.agent
                  .post(url)
                  .type('form')
                  .send(`_csrf=${encodeURIComponent(token!)}`);
          expectRefused(res, `${route.method} ${url}`);
        }
      }
    },
    SWEEP_BUDGET_MS,
  );

  it(
    'is refused with 400 in every form field of every POST route',
    async () => {
      const names = fieldNames();
      for (const route of routesOf(t.app).filter((r) => r.method === 'post')) {
        const v = visitorFor(route);
        const token = await tokenOf(v);
        for (const name of names) {
          const res = await v.postWithToken(concrete(route.path), { [name]: 'a\u0000b' }, token);
          expectRefused(res, `post ${route.path} ${name}`);
        }
      }
    },
    SWEEP_BUDGET_MS,
  );

  it('is refused in a path segment, and a login with NUL in the username is a 4xx', async () => {
    expectRefused(await visitors.regulator.get('/review/%00'), 'path');
    const v = new Visitor(t.app);
    await v.get('/captcha');
    const res = await v.post('/login', { username: 'a\u0000b', password: 'x', captcha: 'x' }, '/login');
    expectRefused(res, 'login');
  });

  it('never gives a 5xx for broken UTF-8 or a malformed escape', async () => {
    for (const url of ['/review?q=%ED%A0%80', '/stored?q=%C3%28', '/review?q=%E0%A4%A', '/review/%E0%A4%A']) {
      const res = await visitors.regulator.get(url);
      expect([200, 400, 404]).toContain(res.status);
    }
  });
});

describe('bodies that cannot be decoded', () => {
  it('answers 400 for a gzip body that does not inflate', async () => {
    const v = visitors.anonymous;
    const token = await tokenOf(v);
    const gzipped = zlib.gzipSync(`_csrf=${token}&username=a`).subarray(0, 12);
    const res = await v.agent
      .post('/login')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Content-Encoding', 'gzip')
      .send(Buffer.concat([gzipped, Buffer.from('not gzip at all')]));
    expect(res.status).toBe(400);
    expect(res.text).toContain('请求格式不正确');
  });

  it('answers 400 for a body in an unknown charset', async () => {
    const res = await visitors.anonymous.agent
      .post('/login')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=klingon')
      .send('username=a');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
