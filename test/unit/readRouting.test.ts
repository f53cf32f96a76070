import { readSource, replicaLagNotice, replicaLagSeconds } from '../../src/domain/readRouting';

describe('which database a read page uses', () => {
  const synced = { up: true, syncedThrough: 10_000 };

  it('uses the replica once it holds everything up to the user’s own last write', () => {
    expect(readSource(synced, undefined)).toBe('replica');
    expect(readSource(synced, 9_999)).toBe('replica');
  });

  it('uses the primary for a user whose last write the replica may not have yet', () => {
    expect(readSource(synced, 10_000)).toBe('primary');
    expect(readSource(synced, 12_000)).toBe('primary');
  });

  it('uses the primary while the replica is down or has never caught up', () => {
    expect(readSource({ up: false, syncedThrough: 10_000 }, undefined)).toBe('primary');
    expect(readSource({ up: true, syncedThrough: null }, undefined)).toBe('primary');
  });
});

describe('the replica’s lag on the page', () => {
  it('is the time since the replica was last known to hold everything', () => {
    expect(replicaLagSeconds({ up: true, syncedThrough: 10_000 }, 17_500)).toBe(7);
    expect(replicaLagSeconds({ up: true, syncedThrough: 10_000 }, 9_000)).toBe(0);
  });

  it('is said only beyond the threshold, in seconds and then minutes', () => {
    expect(replicaLagNotice(5, 5)).toBeNull();
    expect(replicaLagNotice(6, 5)).toContain('滞后约 6 秒');
    expect(replicaLagNotice(600, 5)).toContain('滞后约 10 分钟');
  });
});
