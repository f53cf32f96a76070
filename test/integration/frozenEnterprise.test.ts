import { startTestApp, type TestApp } from '../support/app';
import { actingUser, createEnterprise } from '../support/fixtures';
import { fileThrough } from '../support/filings';
import { signedIn } from '../support/personas';

// "Frozen enterprise facts are part of the stored version": the stored record and the review
// detail show the enterprise as it was submitted, not what /enterprise/profile says today.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

it('keeps the address of the stored version after the enterprise edits its profile', async () => {
  const e = await createEnterprise(t, { name: '冻结测试矿业有限公司' });
  const ent = await actingUser(t, e.userId);
  const { id } = await fileThrough(t, 'stored', { enterprise: e });
  // Edited later, without review.
  await t.knex('enterprises').where({ id: e.id }).update({
    address: '浙江省绍兴市诸暨市新地址 99 号',
    name: '改名后的矿业有限公司',
    legal_rep: '新法人',
  });

  const viewer = await signedIn(t, 'city');
  const stored = await viewer.get(`/stored/${id}`);
  expect(stored.status).toBe(200);
  expect(stored.text).toContain('浙江省杭州市西湖区文三路 1 号');
  expect(stored.text).toContain('冻结测试矿业有限公司');
  expect(stored.text).toContain('王五');
  expect(stored.text).not.toContain('新地址');
  expect(stored.text).not.toContain('新法人');
  expect(stored.text).toContain('（入库版本提交时）');

  const [version] = await t.knex('system_versions').where({ system_id: id });
  expect(version.enterprise).toMatchObject({
    name: '冻结测试矿业有限公司',
    region_name: '浙江省杭州市西湖区',
    supervising_agency_name: '西湖区安全生产监督管理局',
  });

  // A 变更 submitted now freezes the enterprise as it is now, for its own review.
  await t.services.workflow.reopen(ent, id);
  await t.services.workflow.submit(ent, id);
  const county = await signedIn(t, 'county');
  const review = await county.get(`/review/${id}`);
  expect(review.text).toContain('新地址');
  // …while the stored record still shows the stored version's.
  expect((await viewer.get(`/stored/${id}`)).text).not.toContain('新地址');
});
