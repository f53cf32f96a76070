import {
  filingReminderKey,
  filingStageDue,
  licenceReminderDue,
  licenceReminderKey,
  overdueNoticeKey,
} from '../../src/domain/reminders';

// Which reminders are due at a moment (domain/reminders.ts): the job asks at `now`.
const at = (iso: string): Date => new Date(iso);

describe('filingStageDue', () => {
  const deadline = '2027-03-31';
  it('is nothing before seven days ahead', () => {
    expect(filingStageDue(deadline, at('2027-03-23T12:00:00+08:00'))).toBeNull();
  });
  it('is the 7-day reminder from seven days ahead, China time', () => {
    // 2027-03-23 23:30 UTC is already 03-24 in China: seven days left.
    expect(filingStageDue(deadline, at('2027-03-23T23:30:00Z'))).toBe('deadline_7');
    expect(filingStageDue(deadline, at('2027-03-23T15:59:00Z'))).toBeNull();
    expect(filingStageDue(deadline, at('2027-03-29T12:00:00+08:00'))).toBe('deadline_7');
  });
  it('is the 1-day reminder the day before and on the day', () => {
    expect(filingStageDue(deadline, at('2027-03-30T00:00:00+08:00'))).toBe('deadline_1');
    expect(filingStageDue(deadline, at('2027-03-31T23:59:00+08:00'))).toBe('deadline_1');
  });
  it('is overdue from the day after, however long after (catching up sends the latest stage only)', () => {
    expect(filingStageDue(deadline, at('2027-04-01T00:00:00+08:00'))).toBe('overdue');
    expect(filingStageDue(deadline, at('2027-09-01T12:00:00+08:00'))).toBe('overdue');
  });
});

describe('licenceReminderDue', () => {
  const now = at('2027-01-01T12:00:00+08:00');
  it('is due within three months (90 days, today included) of the expiry, not after it expired', () => {
    expect(licenceReminderDue('2027-01-01', now)).toBe(true);
    expect(licenceReminderDue('2027-04-01', now)).toBe(true);
    expect(licenceReminderDue('2027-04-02', now)).toBe(false);
    expect(licenceReminderDue('2026-12-31', now)).toBe(false);
    expect(licenceReminderDue(undefined, now)).toBe(false);
  });
});

describe('reminder keys', () => {
  it('name one reminder per enterprise, round and stage; per system and expiry; per agency and China day', () => {
    expect(filingReminderKey('deadline_7', 2, 15)).toBe('filing:2:15:deadline_7');
    expect(filingReminderKey('deadline_7', 2, 15)).not.toBe(filingReminderKey('deadline_1', 2, 15));
    expect(licenceReminderKey(7, '2027-04-01')).not.toBe(licenceReminderKey(7, '2030-04-01'));
    expect(overdueNoticeKey(3, at('2027-01-01T17:00:00Z'))).toBe('overdue:3:2027-01-02');
  });
});
