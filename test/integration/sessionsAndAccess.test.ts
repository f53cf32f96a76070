import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { fileThrough } from '../support/filings';
import { signedIn } from '../support/personas';
import { actingUser, agency, CHAIN, createEnterprise, createRegulator, PASSWORD } from '../support/fixtures';
import { exampleEnterpriseData, OWNERLESS_ONLY_BY_AGENCY } from '../../src/domain/enterprise';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

const sessionRows = async () => Number((await t.knex('session').count({ n: '*' }))[0].n);

describe('sessions and caching', () => {
  it('sends no-store on every page of a signed-in user, and not on the anonymous login page', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    const login = await v.get('/login');
    expect(login.headers['cache-control'] ?? '').not.toContain('no-store');
    await v.login(reg.username, PASSWORD);
    for (const url of ['/review', '/account', '/stored', '/', '/no-such-page']) {
      const res = await v.get(url);
      expect([url, res.headers['cache-control']]).toEqual([url, 'no-store']);
    }
  });

  it('ends the account’s other sessions when its password is changed, and keeps this one', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const here = new Visitor(t.app);
    const elsewhere = new Visitor(t.app);
    await here.login(reg.username, PASSWORD);
    await elsewhere.login(reg.username, PASSWORD);
    expect((await elsewhere.get('/review')).status).toBe(200);
    const changed = await here.post('/account/password', {
      old_password: PASSWORD,
      new_password: 'Nextpass2027',
      new_password_confirm: 'Nextpass2027',
    });
    expect(changed.status).toBe(302);
    expect((await here.get('/review')).status).toBe(200);
    const signedOut = await elsewhere.get('/review');
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.location).toBe('/login');
  });

  it('prunes expired sessions on the server’s timer and keeps the live ones signed in', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const live = new Visitor(t.app);
    await live.login(reg.username, PASSWORD);
    const expired = { sid: 'expired-one', sess: { cookie: {} }, expire: new Date(Date.now() - 1000) };
    await t.knex('session').insert(expired);
    const errors: unknown[] = [];
    const stop = t.services.session.pruneExpiredEvery(20, (err) => errors.push(err));
    try {
      const gone = async () => !(await t.knex('session').where({ sid: expired.sid }).first());
      for (let i = 0; i < 100 && !(await gone()); i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    expect(errors).toEqual([]);
    expect(await sessionRows()).toBe(1);
    expect((await live.get('/review')).status).toBe(200);
  });

  it('creates no session for anonymous requests that do not need one', async () => {
    const v = new Visitor(t.app);
    for (const url of [
      '/healthz',
      '/no-such-page',
      '/public/css/app.css',
      '/favicon.ico',
      '/register/regions?parent=330000&level=city',
    ])
      await v.get(url);
    expect(await sessionRows()).toBe(0);
    await v.get('/login'); // its form carries a CSRF token kept in the session
    expect(await sessionRows()).toBe(1);
  });

  it('returns to the page asked for before login, without a session for the asking', async () => {
    const reg = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    const asked = await v.get('/stored?q=%E5%B0%BE%E7%9F%BF');
    expect(asked.headers.location).toBe('/login');
    expect(await sessionRows()).toBe(0);
    expect((await v.login(reg.username, 'Wrong00000')).status).toBe(401);
    const res = await v.login(reg.username, PASSWORD);
    expect(res.headers.location).toBe('/stored?q=%E5%B0%BE%E7%9F%BF');
  });
});

describe('jurisdiction of versions', () => {
  it('shows an agency that left the chain only the versions it acted on', async () => {
    const { id: systemId, enterprise: ent } = await fileThrough(t, 'stored', {
      category: 'tailings',
      supervisingCode: CHAIN.county,
    });
    const xihu = await signedIn(t, 'county');
    const hangzhou = await signedIn(t, 'city');
    expect((await xihu.get(`/review/${systemId}`)).status).toBe(200);

    // The enterprise moves to 滨江区 and files a 变更: version 2 goes up 滨江区's chain.
    const binjiang = await agency(t, '330108');
    await t.knex('enterprises').where({ id: ent.id }).update({ supervising_agency_id: binjiang.id });
    const enterprise = await actingUser(t, ent.userId);
    await t.services.workflow.reopen(enterprise, systemId);
    await t.services.workflow.submit(enterprise, systemId);

    expect((await xihu.get(`/review/${systemId}`)).status).toBe(404);
    expect((await xihu.get(`/review/${systemId}/history`)).status).toBe(404);
    // 杭州市 is on both chains: it still follows the system.
    expect((await hangzhou.get(`/review/${systemId}`)).status).toBe(200);
    const binjiangReviewer = await signedIn(t, '330108');
    expect((await binjiangReviewer.get(`/review/${systemId}`)).status).toBe(200);
  });
});

describe('无主尾矿库', () => {
  it('cannot be claimed by a self-registered enterprise', async () => {
    const v = new Visitor(t.app);
    await v.get('/captcha');
    const county = await agency(t, '330681');
    const res = await v.post(
      '/register',
      {
        ...exampleEnterpriseData({ ownerless: 'true', supervising_agency_id: String(county.id) }),
        captcha: 'k7m2',
      },
      '/register',
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain(OWNERLESS_ONLY_BY_AGENCY);
    expect(await t.knex('enterprises').where({ ownerless: true }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('cannot be set on the profile of a self-registered enterprise', async () => {
    const ent = await createEnterprise(t);
    const v = new Visitor(t.app);
    await v.login(ent.username, PASSWORD);
    const profile = (await t.knex('enterprises').where({ id: ent.id }).first())!;
    const res = await v.post('/enterprise/profile', {
      ...exampleEnterpriseData({
        name: profile.name,
        ownerless: 'true',
        region_code: profile.region_code,
        supervising_agency_id: String(profile.supervising_agency_id),
      }),
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(OWNERLESS_ONLY_BY_AGENCY);
    expect((await t.knex('enterprises').where({ id: ent.id }).first())!.ownerless).toBe(false);
  });
});
