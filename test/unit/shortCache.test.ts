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

  it('computes again after the time, always with a time of 0, and forgets failures', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['setTimeout'] });
    let runs = 0;
    const timed = shortCache<number>(1000);
    await timed('k', async () => ++runs);
    jest.setSystemTime(1_000_999);
    await timed('k', async () => ++runs);
    jest.setSystemTime(1_001_001);
    expect(await timed('k', async () => ++runs)).toBe(2);
    jest.useRealTimers();

    const never = shortCache<number>(0);
    expect([await never('k', async () => 1), await never('k', async () => 2)]).toEqual([1, 2]);

    const flaky = shortCache<number>(60_000);
    await expect(flaky('k', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await flaky('k', async () => 7)).toBe(7);
  });
});
