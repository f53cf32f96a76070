import { testPools } from '../support/db';
import { orgRepo } from '../../src/data/org';
import type { Pools } from '../../src/db/pools';
import { seedReferenceData } from '../../seeds/01_reference_data';
import { statementsDuring } from '../support/statements';

let pools: Pools;
beforeAll(() => {
  pools = testPools();
});
afterAll(async () => pools.close());

describe('the seeded organisation tree', () => {
  it('has the real shapes: municipalities, province-administered counties, county chains', async () => {
    const org = orgRepo(pools.knex);
    const beijing = await org.agencyByCode('110000');
    const dongcheng = await org.agencyByCode('110101');
    expect(dongcheng?.parent_id).toBe(beijing?.id);
    expect(dongcheng?.name).toBe('东城区安全生产监督管理局');

    const hubei = await org.agencyByCode('420000');
    const xiantao = await org.agencyByCode('429004');
    expect(xiantao?.parent_id).toBe(hubei?.id);

    const xihu = await org.agencyByCode('330106');
    const chain = await org.chainOf(xihu!.id);
    expect(chain.map((a) => a.name)).toEqual([
      '西湖区安全生产监督管理局',
      '杭州市安全生产监督管理局',
      '浙江省安全生产监督管理局',
      '国家安全生产监督管理总局',
    ]);

    const tianjinOffice = (await org.offshoreAgencies()).find((a) => a.name === '天津监督处');
    expect(tianjinOffice).toBeDefined();
    expect((await org.chainOf(tianjinOffice!.id)).map((a) => a.level)).toEqual([
      'offshore',
      'offshore',
      'offshore',
      'national',
    ]);
    expect(await org.countAgencies()).toBeGreaterThan(3200);
  });

  it('re-seeds idempotently in batches, not a statement per row', async () => {
    const before = await orgRepo(pools.knex).countAgencies();
    let counts = { regions: 0, agencies: 0 };
    const statements = await statementsDuring(pools.knex, async () => {
      counts = await seedReferenceData(pools.knex);
    });
    // Thousands of regions and agencies: a statement per row would be thousands of statements.
    expect(statements.length).toBeLessThan(before / 50);
    expect(await orgRepo(pools.knex).countAgencies()).toBe(before);
    expect(counts.agencies).toBe(before);
  });
});
