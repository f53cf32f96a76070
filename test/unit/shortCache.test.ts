import { shortCache } from '../../src/services/shortCache';

describe('shortCache', () => {
  it('shares one computation between requests within the time, in flight or done', async () => {
    const cache = shortCache<number>(60_000);
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      return 42;
    };
    const [a, b] = await Promise.all([cache('k', compute), cache('k', compute)]);
    expect([a, b, await cache('k', compute), runs]).toEqual([42, 42, 42, 1]);
    await cache('other', compute);
    expect(runs).toBe(2);
  });

  it('after the time, answers from the last result while one computation of the next runs', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['setTimeout', 'setImmediate'] });
    const tick = () => new Promise((r) => setImmediate(r));
    let runs = 0;
    const timed = shortCache<number>(1000);
    const compute = async () => ++runs;
    expect(await timed('k', compute)).toBe(1);
    jest.setSystemTime(1_000_999);
    expect(await timed('k', compute)).toBe(1);
    jest.setSystemTime(1_001_001);
    // Stale but recent: the old result at once, the next one computed behind it — once.
    expect(await Promise.all([timed('k', compute), timed('k', compute)])).toEqual([1, 1]);
    await tick();
    expect([await timed('k', compute), runs]).toEqual([2, 2]);
    // Idle for more than two periods: computed while the requester waits.
    jest.setSystemTime(1_004_000);
    expect(await timed('k', compute)).toBe(3);

    // A refresh that fails keeps the last result, and the next request tries again.
    jest.setSystemTime(1_005_500);
    let fail = true;
    const flakyRefresh = async () => (fail ? Promise.reject(new Error('db down')) : ++runs);
    expect(await timed('k', flakyRefresh)).toBe(3);
    await tick();
    fail = false;
    expect(await timed('k', flakyRefresh)).toBe(3);
    await tick();
    expect(await timed('k', flakyRefresh)).toBe(4);
    jest.useRealTimers();
  });

  it('computes every time with a time of 0, and forgets failures', async () => {
    const never = shortCache<number>(0);
    expect([await never('k', async () => 1), await never('k', async () => 2)]).toEqual([1, 2]);

    const flaky = shortCache<number>(60_000);
    await expect(flaky('k', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await flaky('k', async () => 7)).toBe(7);
  });
});
