import {
  addWorkingDays,
  dueDay,
  isOverdue,
  isWorkingDay,
  lateness,
  latenessLabel,
  overdueCutoff,
  parseTimetable,
  addCalendarDays,
  uncoveredYears,
  type ReviewLimits,
} from '../../src/domain/campaign';
import { AGENCY_LEVELS } from '../../src/domain/orgTree';

const LIMITS: ReviewLimits = { county: 5, city: 3, province: 10, offshore: 10, national: 1 };
/** 08:00 in China on `day`. */
const at = (day: string): Date => new Date(`${day}T00:00:00Z`);

describe('working days (State Council arrangement, 2025 国庆 8 days off with two 调休 days)', () => {
  it('skips the holiday week and counts the make-up working days', () => {
    expect(isWorkingDay('2025-10-01')).toBe(false);
    expect(isWorkingDay('2025-10-08')).toBe(false); // a Wednesday, still the holiday
    expect(isWorkingDay('2025-09-28')).toBe(true); // a Sunday, 调休 working day
    expect(isWorkingDay('2025-10-11')).toBe(true); // a Saturday, 调休 working day
    expect(isWorkingDay('2025-10-12')).toBe(false); // an ordinary Sunday
    // Arrived Tuesday 30 September: the first working day after it is Thursday 9 October.
    expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    // Arrived Saturday 27 September: Sunday 28th is a working day.
    expect(addWorkingDays('2025-09-27', 1)).toBe('2025-09-28');
    // 9 October + 2: Friday 10th, then Saturday 11th (调休).
    expect(addWorkingDays('2025-10-09', 2)).toBe('2025-10-11');
    // An ordinary week: Monday + 5 = next Monday.
    expect(addWorkingDays('2025-11-03', 5)).toBe('2025-11-10');
  });

  it('counts calendar days in a year the package does not cover, and names the year', () => {
    expect(isWorkingDay('2030-10-01')).toBe(true);
    expect(addWorkingDays('2030-01-05', 3)).toBe('2030-01-08');
    expect(uncoveredYears('2026-12-01', '2027-02-01')).toEqual([2027]);
    expect(uncoveredYears('2025-01-01', '2026-12-31')).toEqual([]);
  });
});

describe('due dates and overdue per level', () => {
  it('puts the due day at arrival + the level’s limit in working days (China day of arrival)', () => {
    // 23:30 on 29 September UTC is 07:30 on 30 September in China.
    expect(dueDay(new Date('2025-09-29T23:30:00Z'), 'county', LIMITS)).toBe(addWorkingDays('2025-09-30', 5));
    expect(dueDay(at('2025-09-30'), 'national', LIMITS)).toBe('2025-10-09');
    expect(dueDay(at('2025-09-30'), 'city', LIMITS)).toBe('2025-10-11');
  });

  it('is overdue from the day after the due day, and each level by its own limit', () => {
    const arrived = at('2025-09-30');
    expect(isOverdue(arrived, 'national', LIMITS, at('2025-10-09'))).toBe(false);
    expect(isOverdue(arrived, 'national', LIMITS, at('2025-10-10'))).toBe(true);
    expect(isOverdue(arrived, 'city', LIMITS, at('2025-10-10'))).toBe(false);
    expect(isOverdue(arrived, 'city', LIMITS, at('2025-10-12'))).toBe(true);
    expect(lateness('2025-10-09', '2025-10-07')).toEqual({ overdue: false, daysLeft: 2 });
    expect(latenessLabel(lateness('2025-10-09', '2025-10-07'))).toBe('剩余 2 天');
    expect(latenessLabel(lateness('2025-10-09', '2025-10-09'))).toBe('今日到期');
    expect(latenessLabel(lateness('2025-10-09', '2025-10-12'))).toBe('超期 3 天');
  });

  it('agrees with the cut-off the database filters by, for every level and day around 国庆', () => {
    for (const level of AGENCY_LEVELS)
      for (let t = 0; t < 40; t++) {
        const today = addCalendarDays('2025-09-20', t);
        const cutoff = overdueCutoff(level, LIMITS, today);
        for (let a = -30; a <= 0; a++) {
          const arrival = addCalendarDays(today, a);
          expect([level, today, arrival, arrival < cutoff]).toEqual([
            level,
            today,
            arrival,
            isOverdue(at(arrival), level, LIMITS, at(today)),
          ]);
        }
      }
  });
});

describe('the timetable form', () => {
  it('reports every error at once and keeps what was typed', () => {
    const r = parseTimetable({
      name: ' ',
      startsOn: '2027-02-30',
      filingDeadline: 'x',
      limit_county: '0',
      limit_city: 'abc',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(
      [
        'filingDeadline',
        'limit_city',
        'limit_county',
        'limit_national',
        'limit_offshore',
        'limit_province',
        'name',
        'startsOn',
      ].sort(),
    );
    expect(r.values.limit_city).toBe('abc');
  });

  it('refuses a deadline before the start and accepts a complete timetable', () => {
    const base = {
      name: '2027年度普查',
      startsOn: '2027-01-04',
      limit_county: '5',
      limit_city: '5',
      limit_province: '10',
      limit_offshore: '10',
      limit_national: '10',
    };
    const early = parseTimetable({ ...base, filingDeadline: '2027-01-01' });
    expect(!early.ok && early.errors.filingDeadline).toBe('填报截止日期不能早于开始日期');
    const ok = parseTimetable({ ...base, filingDeadline: '2027-03-31' });
    expect(ok).toEqual({
      ok: true,
      value: {
        name: '2027年度普查',
        startsOn: '2027-01-04',
        filingDeadline: '2027-03-31',
        limits: { county: 5, city: 5, province: 10, offshore: 10, national: 10 },
      },
    });
  });
});
