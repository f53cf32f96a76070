import { startTestApp, type TestApp } from '../support/app';
import { CHAIN, createRegulator } from '../support/fixtures';
import { loadSessionWithUser } from '../../src/data/currentUser';

// Every signed-in request reads its session and its user in one statement (data/currentUser.ts).

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function session(sid: string, sess: object, expiresInMinutes = 30): Promise<void> {
  await t.pools.sessionPool.query(
    `INSERT INTO session (sid, sess, expire) VALUES ($1, $2, now() + make_interval(mins => $3))`,
    [sid, JSON.stringify(sess), expiresInMinutes],
  );
}

describe('the session and its user in one statement', () => {
  it('reads the session with the user it is signed in as, and the names the page frame shows', async () => {
    const reg = await createRegulator(t, CHAIN.city);
    await session('s-signed-in', { cookie: {}, userId: reg.id, flash: [{ kind: 'info', text: '你好' }] });
    const found = await loadSessionWithUser(t.pools.sessionPool, 's-signed-in');
    expect(found?.sess).toMatchObject({ userId: reg.id, flash: [{ kind: 'info', text: '你好' }] });
    expect(found?.user).toMatchObject({
      id: reg.id,
      username: reg.username,
      role: 'regulator',
      agency_id: reg.agency.id,
      agency_name: reg.agency.name,
      enterprise_id: null,
    });
  });

  it('has no user for an anonymous session or a user no longer there, and nothing for an expired one', async () => {
    await session('s-anonymous', { cookie: {}, captcha: 'abcd' });
    expect(await loadSessionWithUser(t.pools.sessionPool, 's-anonymous')).toEqual({
      sess: { cookie: {}, captcha: 'abcd' },
      user: null,
    });
    await session('s-gone', { cookie: {}, userId: 987654 });
    expect((await loadSessionWithUser(t.pools.sessionPool, 's-gone'))?.user).toBeNull();
    await session('s-odd', { cookie: {}, userId: '1 OR 1=1' });
    expect((await loadSessionWithUser(t.pools.sessionPool, 's-odd'))?.user).toBeNull();
    await session('s-expired', { cookie: {}, userId: 1 }, -1);
    expect(await loadSessionWithUser(t.pools.sessionPool, 's-expired')).toBeUndefined();
    expect(await loadSessionWithUser(t.pools.sessionPool, 'no-such-session')).toBeUndefined();
  });
});
