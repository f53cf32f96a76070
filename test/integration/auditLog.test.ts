import { startTestApp, type TestApp } from '../support/app';
import { CHAIN, createRegulator, lockAccount } from '../support/fixtures';
import { Visitor } from '../support/browser';
import { recordAudit } from '../../src/data/audit';
import { verifyAuditChain } from '../../src/cli/verifyAudit';
import { auditHash } from '../../src/domain/audit';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

const all = () => t.knex('audit_log').orderBy('seq');

describe('the audit log', () => {
  it('records an event with a snapshot of the actor, chained to the row before it', async () => {
    const r = await createRegulator(t, CHAIN.city);
    await recordAudit(t.knex, {
      type: 'login.success',
      actorId: r.id,
      address: '10.0.0.7',
      result: 'success',
      detail: { b: 2, a: { d: 1, c: [3, 'x'] } },
    });
    await recordAudit(t.knex, {
      type: 'login.failure',
      actorId: null,
      actorName: 'nobody',
      address: '10.0.0.8',
      result: 'failure',
      reason: '用户名不存在',
    });
    const [first, second] = await all();
    expect(first).toMatchObject({
      seq: 1,
      event_type: 'login.success',
      actor_user_id: r.id,
      actor_username: r.username,
      actor_role: 'regulator',
      actor_unit: r.agency.name,
      address: '10.0.0.7',
      object: null,
      result: 'success',
      reason: null,
      detail: { a: { c: [3, 'x'], d: 1 }, b: 2 },
      prev_hash: null,
    });
    expect(first.hash).toBe(auditHash(first));
    expect(second).toMatchObject({
      seq: 2,
      actor_user_id: null,
      actor_username: 'nobody',
      actor_role: null,
      actor_unit: null,
      reason: '用户名不存在',
      prev_hash: first.hash,
    });
    expect(await verifyAuditChain(t.knex)).toEqual({ rows: 2, broken: null });
  });

  it('writes nothing when the transaction it is part of rolls back', async () => {
    await expect(
      t.knex.transaction(async (trx) => {
        await recordAudit(trx, { type: 'logout', actorId: null, address: null, result: 'success' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await all()).toEqual([]);
  });

  it('keeps one unbroken chain when many writers append at once', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        recordAudit(t.knex, {
          type: 'logout',
          actorId: null,
          address: `10.0.0.${i}`,
          result: 'success',
        }),
      ),
    );
    expect(await verifyAuditChain(t.knex)).toEqual({ rows: 12, broken: null });
  });

  it('refuses UPDATE and DELETE, even of old rows outside the archive', async () => {
    const old = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    await recordAudit(
      t.knex,
      { type: 'logout', actorId: null, address: null, result: 'success' },
      { at: old },
    );
    await expect(t.knex('audit_log').update({ reason: 'x' })).rejects.toThrow(/append-only/);
    await expect(t.knex('audit_log').del()).rejects.toThrow(/append-only/);
    expect(await all()).toHaveLength(1);
  });

  it('verify:audit names a row altered by hand with the triggers disabled', async () => {
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3'])
      await recordAudit(t.knex, { type: 'logout', actorId: null, address, result: 'success' });
    const [, second] = await all();
    await t.knex.transaction(async (trx) => {
      await trx.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await trx('audit_log').where({ id: second.id }).update({ address: '192.168.1.1' });
      await trx.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
    expect(await verifyAuditChain(t.knex)).toEqual({
      rows: 1,
      broken: { id: second.id, seq: 2, problem: 'hash' },
    });
  });
});

describe('login and logout events', () => {
  const failures = async () =>
    (await all()).filter((r) => r.event_type === 'login.failure').map((r) => [r.actor_username, r.reason]);

  it('records each failed login with why (the user is told the same neutral message)', async () => {
    const r = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    const wrong = await v.login(r.username, 'Wrong1234x');
    const unknown = await v.login('nobody_here', 'Wrong1234x');
    await v.login(r.username, r.password, 'zzzz');
    expect(wrong.status).toBe(401);
    expect(unknown.text).toContain('用户名或密码错误');
    expect(await failures()).toEqual([
      [r.username, '密码错误'],
      ['nobody_here', '用户名不存在'],
      [r.username, '验证码错误'],
    ]);
    const [badPassword] = await all();
    expect(badPassword).toMatchObject({ actor_user_id: r.id, actor_role: 'regulator', result: 'failure' });
    await lockAccount(t, r.username, r.password);
    expect((await failures()).at(-1)).toEqual([r.username, '用户名因连续输错密码暂停登录']);
  });

  it('records one success at login and one row at logout', async () => {
    const r = await createRegulator(t, CHAIN.county);
    const v = new Visitor(t.app);
    expect((await v.login(r.username, r.password)).status).toBe(302);
    await v.post('/logout', {}, '/review');
    const rows = await all();
    expect(rows.map((x) => [x.event_type, x.actor_user_id, x.result])).toEqual([
      ['login.success', r.id, 'success'],
      ['logout', r.id, 'success'],
    ]);
    expect(await verifyAuditChain(t.knex)).toEqual({ rows: 2, broken: null });
  });
});
