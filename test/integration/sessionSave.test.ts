import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type pg from 'pg';
import { startTestApp, TEST_CAPTCHA, type TestApp } from '../support/app';
import { testPools } from '../support/db';
import { csrfFrom } from '../support/browser';
import { CHAIN, createRegulator, PASSWORD } from '../support/fixtures';

// A browser follows a redirect as soon as its headers arrive. The session a POST changed (a login,
// a flash message) must therefore be in the store by then — or the next page loads the old one
// (the browser journey lost its flash this way). The store's writes are slowed down here so
// that a redirect sent before the write finished is caught every time, not now and then.

const SLOW_WRITE_MS = 300;

/** The session pool, with every session write first passed to `write` (which may delay or fail it). */
function withWrites(pool: pg.Pool, write: () => Promise<void>): pg.Pool {
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return async (text: string, params?: unknown[]) => {
        if (/^\s*INSERT/i.test(text)) await write();
        return target.query(text, params);
      };
    },
  });
}
const slowWrites = (pool: pg.Pool) =>
  withWrites(pool, () => new Promise((r) => setTimeout(r, SLOW_WRITE_MS)));

const pools = testPools();
let t: TestApp;
let server: Server;
let base: string;

beforeAll(async () => {
  t = await startTestApp({}, { pools: { ...pools, sessionPool: slowWrites(pools.sessionPool) } });
  server = await new Promise((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await pools.close();
});

/** A cookie jar over fetch, which resolves when the headers arrive (before the body). */
class RawClient {
  cookie = '';
  async request(path: string, form?: Record<string, string>): Promise<Response> {
    const res = await fetch(base + path, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: this.cookie,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return res;
  }
  async token(path: string): Promise<string> {
    return csrfFrom(await (await this.request(path)).text());
  }
  /** The stored session row of the cookie, as it is right now. */
  async storedSession(): Promise<Record<string, unknown> | undefined> {
    const signed = decodeURIComponent(this.cookie.split('=')[1]);
    const sid = signed.slice(2, signed.lastIndexOf('.'));
    const row = await t.pools.knex('session').where({ sid }).first();
    return row?.sess;
  }
}

it("has a new visitor's session stored when the login page arrives, before its captcha is fetched", async () => {
  const c = new RawClient();
  const page = await c.request('/login');
  expect(page.status).toBe(200);
  expect(await c.storedSession()).toMatchObject({ csrfToken: expect.any(String) });
  await page.text();
});

it('has the session stored when a login or a flash message redirects', async () => {
  const reg = await createRegulator(t, CHAIN.county);
  const c = new RawClient();
  await (await c.request('/captcha')).text();
  const loginToken = await c.token('/login');

  const login = await c.request('/login', {
    username: reg.username,
    password: PASSWORD,
    captcha: TEST_CAPTCHA,
    _csrf: loginToken,
  });
  expect(login.status).toBe(302);
  expect(await c.storedSession()).toMatchObject({ userId: reg.id });
  await login.text();

  const saveToken = await c.token('/account');
  const saved = await c.request('/account', { name: '张三', email: 'zhang@example.cn', _csrf: saveToken });
  expect(saved.status).toBe(302);
  expect(await c.storedSession()).toMatchObject({ flash: [{ kind: 'success', text: '用户信息已保存' }] });
  await saved.text();

  const page = await (await c.request('/account')).text();
  expect(page).toContain('用户信息已保存');
});

it('still answers, once, when the session cannot be saved', async () => {
  const failing = await startTestApp(
    {},
    {
      reset: false,
      pools: {
        ...pools,
        sessionPool: withWrites(pools.sessionPool, () => Promise.reject(new Error('disk full'))),
      },
    },
  );
  const s: Server = await new Promise((resolve) => {
    const x = failing.app.listen(0, '127.0.0.1', () => resolve(x));
  });
  try {
    const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/login`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="captcha"');
  } finally {
    await new Promise((resolve) => s.close(resolve));
  }
});
