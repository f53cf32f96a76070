import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { CHAIN, createRegulator, PASSWORD } from '../support/fixtures';

// Login throttling (rate-limiter-flexible, data/loginLimits.ts): it pauses a username from one
// address after consecutive wrong passwords, bounds each address per day, counts wrong captchas
// apart, and never shows whether a username exists. Every test request comes from loopback;
// with TRUST_PROXY=loopback, X-Forwarded-For stands for other addresses.

const FAILED = '用户名或密码错误（同一用户名连续输错 3 次后须等待 15 分钟再试）';

let t: TestApp;
afterEach(async () => t.close());

/** A new session from the given address (believed only when TRUST_PROXY trusts loopback). */
function visitorFrom(address?: string): Visitor {
  const v = new Visitor(t.app);
  if (address) v.agent.set('X-Forwarded-For', address);
  return v;
}

const errorOf = (html: string): string | undefined =>
  /<div class="notice notice-error"[^>]*>([^<]*)<\/div>/.exec(html)?.[1];

describe('wrong captchas', () => {
  it('do not block a correct login from a fresh session, even 30 of them with the same username', async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_CAPTCHA_FAILURES: '' }); // '' = the default
    const reg = await createRegulator(t, CHAIN.county);
    const flood = new Visitor(t.app);
    for (let i = 0; i < 30; i++) {
      const res = await flood.login(reg.username, PASSWORD, 'zzzz');
      expect(res.status).toBe(401);
      expect(errorOf(res.text)).toBe('验证码错误，请重新输入');
    }
    const login = await new Visitor(t.app).login(reg.username, PASSWORD);
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe('/');
  });

  it('are bounded per address: past the bound even a right login waits, other addresses do not', async () => {
    t = await startTestApp({ LOGIN_CAPTCHA_FAILURES: '4', TRUST_PROXY: 'loopback' });
    const reg = await createRegulator(t, CHAIN.county);
    const flood = visitorFrom('203.0.113.9');
    for (let i = 0; i < 4; i++)
      expect(errorOf((await flood.login('x', 'y', 'zzzz')).text)).toContain('验证码错误');
    const refused = await visitorFrom('203.0.113.9').login(reg.username, PASSWORD);
    expect(refused.status).toBe(429);
    expect(errorOf(refused.text)).toBe('登录尝试过于频繁，请 10 分钟后再试');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await visitorFrom('198.51.100.4').login(reg.username, PASSWORD)).status).toBe(302);
  });
});

describe('existing and unknown usernames', () => {
  it('get identical responses for every attempt through the lock threshold and beyond', async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3' });
    const reg = await createRegulator(t, CHAIN.county);
    const unknown = 'aj330199'; // a predictable regulator name that has no account
    // The page echoes the typed username and carries the session's CSRF token; nothing else may differ.
    const normalised = (html: string, username: string) =>
      html.replaceAll(`value="${username}"`, 'value="NAME"').replace(/name="_csrf" value="[^"]+"/, '');
    const attempt = async (username: string, password: string) => {
      const res = await new Visitor(t.app).login(username, password);
      return { status: res.status, error: errorOf(res.text), page: normalised(res.text, username) };
    };
    for (let i = 1; i <= 6; i++) {
      const existing = await attempt(reg.username, `Wrong${i}xyz`);
      const missing = await attempt(unknown, `Wrong${i}xyz`);
      expect(existing).toEqual(missing);
      expect(existing.status).toBe(401);
      expect(existing.error).toBe(FAILED);
    }
    // Beyond the threshold the right password is refused with the same response as any other.
    expect(await attempt(reg.username, PASSWORD)).toEqual(await attempt(unknown, PASSWORD));
  });
});

describe('consecutive wrong passwords', () => {
  it('lock the username from that address after N, a right password then refused; other addresses still log in', async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'loopback' });
    const reg = await createRegulator(t, CHAIN.county);
    const here = '203.0.113.20';
    // N - 1 failures, then the right password: in, and the run starts over.
    for (let i = 0; i < 2; i++) await visitorFrom(here).login(reg.username, 'Wrong12345');
    expect((await visitorFrom(here).login(reg.username, PASSWORD)).status).toBe(302);
    for (let i = 0; i < 2; i++) await visitorFrom(here).login(reg.username, 'Wrong12345');
    expect((await visitorFrom(here).login(reg.username, PASSWORD)).status).toBe(302);

    for (let i = 0; i < 3; i++) await visitorFrom(here).login(reg.username, 'Wrong12345');
    const locked = visitorFrom(here);
    const refused = await locked.login(reg.username, PASSWORD);
    expect(refused.status).toBe(401);
    expect(errorOf(refused.text)).toBe(FAILED);
    expect((await locked.get('/review')).headers.location).toBe('/login'); // not signed in
    // The account's owner elsewhere is not locked out by someone guessing from here.
    const elsewhere = await visitorFrom('198.51.100.7').login(reg.username, PASSWORD);
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.headers.location).toBe('/');
  });
});

describe('the per-address daily budget', () => {
  it('refuses every login from an address after its wrong passwords of the day, whatever the usernames', async () => {
    t = await startTestApp({ LOGIN_ADDRESS_DAILY_FAILURES: '4', TRUST_PROXY: 'loopback' });
    const reg = await createRegulator(t, CHAIN.county);
    const here = '203.0.113.30';
    for (let i = 0; i < 4; i++) {
      const res = await visitorFrom(here).login(`guess${i}`, 'Wrong12345');
      expect(res.status).toBe(401); // each a different username: no username lock involved
    }
    const refused = await visitorFrom(here).login(reg.username, PASSWORD);
    expect(refused.status).toBe(429);
    expect(errorOf(refused.text)).toBe('登录尝试过于频繁，请 24 小时后再试');
    expect((await visitorFrom('198.51.100.8').login(reg.username, PASSWORD)).status).toBe(302);
  });
});

describe('TRUST_PROXY', () => {
  it('unset, X-Forwarded-For does not change the address that is counted', async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3' });
    const reg = await createRegulator(t, CHAIN.county);
    for (let i = 0; i < 3; i++) await visitorFrom(`203.0.113.${40 + i}`).login(reg.username, 'Wrong12345');
    // A fresh made-up address does not escape the lock: all of them were the loopback peer.
    const refused = await visitorFrom('198.51.100.9').login(reg.username, PASSWORD);
    expect(refused.status).toBe(401);
    expect(errorOf(refused.text)).toBe(FAILED);
  });

  it('set to the proxy, its X-Forwarded-For is the address counted', async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'loopback' });
    const reg = await createRegulator(t, CHAIN.county);
    for (let i = 0; i < 3; i++) await visitorFrom(`203.0.113.${40 + i}`).login(reg.username, 'Wrong12345');
    // Three addresses with one failure each: none is locked.
    expect((await visitorFrom('203.0.113.40').login(reg.username, PASSWORD)).status).toBe(302);
  });
});
