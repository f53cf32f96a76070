import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { issueAccounts, issueAdminAccounts, parseIssueArgs } from '../../src/cli/issueAccounts';
import { accountIssuanceService } from '../../src/services/accountIssuance';
import { cliActor } from '../../src/domain/audit';
import { createAdmin, createRegulator, lockAccount, PASSWORD } from '../support/fixtures';

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accounts-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/);
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('npm run accounts:issue', () => {
  it('parses its command line', () => {
    expect(parseIssueArgs(['--out', 'a.csv', '--level', 'city', '--region', '330000'])).toEqual({
      out: 'a.csv',
      level: 'city',
      region: '330000',
    });
    expect(() => parseIssueArgs(['--level', 'city'])).toThrow('--out');
    expect(() => parseIssueArgs(['--out', 'a.csv', '--level', 'village'])).toThrow('--level');
    expect(parseIssueArgs(['--admins', '--out', 'a.csv'])).toEqual({ out: 'a.csv', admins: true });
    expect(() => parseIssueArgs(['--admins', '--out', 'a.csv', '--level', 'city'])).toThrow('--admins');
  });

  it('issues one account per agency of a region, skips them the second time, and the passwords log in', async () => {
    const first = path.join(dir, 'first.csv');
    const issued = await issueAccounts(t.knex, 4, { out: first, region: '330100' });
    const rows = readCsv(first);
    expect(rows.length).toBe(issued.length);
    expect(rows.length).toBeGreaterThan(10); // 杭州市 and its districts and counties
    expect(Object.keys(rows[0])).toEqual([
      'agency_code',
      'agency_name',
      'level',
      'username',
      'initial_password',
    ]);
    expect(rows.find((r) => r.agency_code === '330100')?.agency_name).toBe('杭州市安全生产监督管理局');
    expect(new Set(rows.map((r) => r.username)).size).toBe(rows.length);

    const second = path.join(dir, 'second.csv');
    const again = await issueAccounts(t.knex, 4, { out: second, region: '330100' });
    expect(again).toHaveLength(0);
    expect(readCsv(second)).toHaveLength(0);

    const national = path.join(dir, 'national.csv');
    const top = await issueAccounts(t.knex, 4, { out: national, level: 'national' });
    expect(top.map((a) => a.agency_code)).toEqual(['000000']);

    // The CSV password logs in and must be changed first.
    const county = rows.find((r) => r.agency_code === '330106')!;
    const v = new Visitor(t.app);
    const login = await v.login(county.username, county.initial_password);
    expect(login.headers.location).toBe('/account/password');
    const nat = readCsv(national)[0];
    expect((await new Visitor(t.app).login(nat.username, nat.initial_password)).headers.location).toBe(
      '/account/password',
    );
  });
});

describe('npm run accounts:issue -- --admins', () => {
  it('issues the three administrators not yet there (skipping an existing role), whose passwords log in', async () => {
    await createAdmin(t, 'sysadmin', { username: 'admin' }); // the migrated admin
    const out = path.join(dir, 'admins.csv');
    const issued = await issueAdminAccounts(t.knex, 4, out);
    const rows = readCsv(out);
    expect(rows.map((r) => [r.role, r.role_name, r.username])).toEqual([
      ['secadmin', '安全管理员', 'secadmin'],
      ['auditor', '审计管理员', 'auditor'],
    ]);
    expect(issued.map((a) => a.initial_password)).toEqual(rows.map((r) => r.initial_password));
    for (const r of rows) {
      const login = await new Visitor(t.app).login(r.username, r.initial_password);
      expect(login.headers.location).toBe('/account/password');
    }
    expect(await issueAdminAccounts(t.knex, 4, out)).toHaveLength(0);
    expect(readCsv(out)).toHaveLength(0);
  });
});

describe('npm run accounts:reset', () => {
  it('gives a new initial password, lifts the lock and ends the signed-in sessions', async () => {
    const reg = await createRegulator(t, '330108');
    const signedIn = new Visitor(t.app);
    expect((await signedIn.login(reg.username, PASSWORD)).status).toBe(302);
    expect((await signedIn.get('/review')).status).toBe(200);
    await lockAccount(t, reg.username);

    const service = accountIssuanceService(t.knex, t.hasher);
    const password = await service.resetPassword(reg.username, cliActor('operator'));
    expect(password).not.toBe(PASSWORD);

    // The old session is over; the old password no longer works; the new one must be changed.
    expect((await signedIn.get('/review')).headers.location).toBe('/login');
    expect((await new Visitor(t.app).login(reg.username, PASSWORD)).status).toBe(401);
    const fresh = new Visitor(t.app);
    const login = await fresh.login(reg.username, password);
    expect(login.headers.location).toBe('/account/password');
    await expect(service.resetPassword('no_such_user', cliActor('operator'))).rejects.toThrow(
      '没有用户名为 no_such_user 的账号',
    );
  });
});
