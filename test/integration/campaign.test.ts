import { startTestApp, type TestApp } from '../support/app';
import { Visitor } from '../support/browser';
import { createEnterprise, PASSWORD } from '../support/fixtures';
import { signedIn } from '../support/personas';

// 普查任务: 总局 sets the timetable, every other level reads it, each change is kept.
let t: TestApp;
let national: Visitor;
let province: Visitor;

const TIMETABLE = {
  name: '2027年度非煤矿山安全生产基本情况普查',
  startsOn: '2027-01-04',
  filingDeadline: '2027-03-31',
  limit_county: '5',
  limit_city: '5',
  limit_province: '10',
  limit_offshore: '10',
  limit_national: '15',
};

beforeAll(async () => {
  t = await startTestApp();
  national = await signedIn(t, 'national');
  province = await signedIn(t, 'province');
});
afterAll(async () => t.close());

describe('/campaign', () => {
  it('is edited only by 总局, read by the other levels, every change kept with who and when', async () => {
    expect((await province.get('/campaign')).text).toContain('总局尚未发布普查任务时间安排');
    const saved = await national.post('/campaign', TIMETABLE);
    expect(saved.status).toBe(302);
    const shown = (await national.get('/campaign')).text;
    expect(shown).toContain('value="2027-03-31"');
    expect(shown).toContain('2027年的节假日安排尚未发布');

    // A province sees it read-only and may not change it (as if the form did not exist).
    const read = (await province.get('/campaign')).text;
    expect(read).toContain('企业填报截止日期</dt><dd>2027-03-31');
    expect(read).not.toContain('<form method="post" action="/campaign"');
    const refused = await province.post('/campaign', { ...TIMETABLE, filingDeadline: '2027-12-31' });
    expect(refused.status).toBe(404);

    expect((await national.post('/campaign', { ...TIMETABLE, filingDeadline: '2027-04-30' })).status).toBe(
      302,
    );
    const after = (await province.get('/campaign')).text;
    expect(after).toContain('企业填报截止日期</dt><dd>2027-04-30');
    const changes = await t.knex('campaign_round_changes').orderBy('id');
    expect(changes).toHaveLength(2);
    expect(changes[0].before).toBeNull();
    expect(changes[1].before.filingDeadline).toBe('2027-03-31');
    expect(changes[1].after.filingDeadline).toBe('2027-04-30');
    expect(after).toContain('国家安全生产监督管理总局审核员');
    expect(await t.knex('campaign_rounds').select('id')).toHaveLength(1);
  });

  it('reports every error of the form at once and keeps what was typed', async () => {
    const res = await national.post('/campaign', {
      ...TIMETABLE,
      name: '',
      limit_city: '0',
      filingDeadline: '2026-01-01',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('提交的内容有 3 处需要修改');
    expect(res.text).toContain('value="0"');
  });

  it('is not for enterprises, and a POST without the CSRF token is refused', async () => {
    const ent = await createEnterprise(t, { name: '普查任务测试矿业有限公司' });
    const v = new Visitor(t.app);
    await v.login(ent.username, PASSWORD);
    expect((await v.get('/campaign')).status).toBe(404);
    expect((await national.postWithToken('/campaign', TIMETABLE, undefined)).status).toBe(403);
  });
});
