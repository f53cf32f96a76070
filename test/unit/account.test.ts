import { isLocked } from '../../src/domain/account';

describe('isLocked', () => {
  it('holds until the lock-out ends, and never without one', () => {
    const now = new Date('2026-11-29T08:00:00Z');
    expect(isLocked(new Date('2026-11-29T08:10:00Z'), now)).toBe(true);
    expect(isLocked(new Date('2026-11-29T08:00:00Z'), now)).toBe(false);
    expect(isLocked(new Date('2026-11-29T07:59:00Z'), now)).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });
});
