import request from 'supertest';
import type { Express } from 'express';
import { TEST_CAPTCHA } from './app';
import { nextSecondFactorCode } from './secondFactor';

type Agent = ReturnType<typeof request.agent>;
export type Form = Record<string, string | string[] | number | boolean | undefined>;

/** Reads the CSRF token from a page's form (tests keep CSRF on, like a real browser). */
export function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1];
}

function encode(form: Form): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
  }
  return params.toString();
}

/** A user with a cookie jar, who fills in forms the way the browser would. */
export class Visitor {
  readonly agent: Agent;
  /** An app in this process, or the address of a server process. */
  constructor(app: Express | string) {
    this.agent = request.agent(app);
  }
  get(url: string) {
    return this.agent.get(url);
  }
  /** GETs `from` (default: the same URL), takes its CSRF token and POSTs the form. */
  async post(url: string, form: Form, from = url) {
    const page = await this.agent.get(from);
    const token = csrfFrom(page.text);
    return this.postWithToken(url, form, token);
  }
  postWithToken(url: string, form: Form, token: string | undefined) {
    const body = token === undefined ? form : { ...form, _csrf: token };
    return this.agent.post(url).type('form').send(encode(body));
  }
  /**
   * Logs in; an account enrolled by a fixture (test/support/secondFactor.ts) also passes the
   * second step with its app's code, and the answer is then the second step's.
   */
  async login(username: string, password: string, captcha = TEST_CAPTCHA) {
    await this.agent.get('/captcha');
    const res = await this.post('/login', { username, password, captcha }, '/login');
    if (res.status !== 302 || res.headers.location !== '/login/second-factor') return res;
    const code = nextSecondFactorCode(username);
    return code === undefined ? res : this.post('/login/second-factor', { code });
  }
}
