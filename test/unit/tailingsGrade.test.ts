import { computeTailingsGrade } from '../../src/domain/tailingsGrade';

describe('computeTailingsGrade (capacity 万m³, dam height m)', () => {
  it.each([
    // capacity boundaries, with a height of the same grade
    [99.99, 20, 5],
    [100, 30, 4],
    [999.9, 59.9, 4],
    [1000, 60, 3],
    [9999, 99.9, 3],
    [10000, 100, 2],
    [50000, 250, 2],
    [0, 0, 5],
  ])('equal grades: V=%p H=%p → %p', (v, h, grade) => {
    expect(computeTailingsGrade(v, h)).toBe(grade);
  });

  it.each([
    [100, 29.9, 4], // 4 vs 5
    [99.9, 30, 4], // 5 vs 4
    [1000, 59.9, 3], // 3 vs 4
    [999, 60, 3], // 4 vs 3
    [10000, 99, 2], // 2 vs 3
    [9999, 100, 2], // 3 vs 2
  ])('differing by one takes the higher: V=%p H=%p → %p', (v, h, grade) => {
    expect(computeTailingsGrade(v, h)).toBe(grade);
  });

  it.each([
    [1000, 29, 4], // 3 vs 5
    [50, 60, 4], // 5 vs 3
    [10000, 59, 3], // 2 vs 4
    [999, 100, 3], // 4 vs 2
  ])('differing by two takes the higher minus one: V=%p H=%p → %p', (v, h, grade) => {
    expect(computeTailingsGrade(v, h)).toBe(grade);
  });

  it.each([
    [10000, 10, 3], // 2 vs 5
    [10, 120, 3], // 5 vs 2
  ])('differing by three takes the higher minus one: V=%p H=%p → %p', (v, h, grade) => {
    expect(computeTailingsGrade(v, h)).toBe(grade);
  });

  it('never computes grade 1', () => {
    expect(computeTailingsGrade(1e9, 1e4)).toBe(2);
  });

  it('refuses impossible inputs', () => {
    expect(() => computeTailingsGrade(-1, 10)).toThrow(RangeError);
    expect(() => computeTailingsGrade(10, Number.NaN)).toThrow(RangeError);
  });
});
