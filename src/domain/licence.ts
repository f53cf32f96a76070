/**
 * The one licence-expiry rule (SPEC §7: licences expiring within 90 days or expired). The
 * statistics count with it, the stored query filters with it (data/licence.ts turns the same
 * window into SQL, pinned to `licenceExpiry` by test/integration/statsRules.test.ts), and detail
 * pages flag a stored licence with it.
 */

/** The field of every category's form that holds the 安全生产许可证's expiry. */
export const LICENCE_EXPIRY_FIELD = 'safety_license_expires';

/** Licences expiring within this many days (today included) are 即将到期. */
export const LICENCE_WARNING_DAYS = 90;

export type LicenceExpiry = 'expired' | 'expiring';

export const LICENCE_EXPIRY_LABELS: Readonly<Record<LicenceExpiry, string>> = Object.freeze({
  expired: '已过期',
  expiring: `${LICENCE_WARNING_DAYS}天内到期`,
});

export const LICENCE_EXPIRIES: readonly LicenceExpiry[] = ['expired', 'expiring'];

export interface LicenceWindow {
  /** Today in China Standard Time, YYYY-MM-DD: expiry before it = expired. */
  today: string;
  /** Today + 90 days: expiry on or before it (and not expired) = expiring. */
  horizon: string;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The licence warning window as seen in China on `now`. */
export function licenceWindow(now: Date): LicenceWindow {
  const cst = now.getTime() + 8 * 3_600_000; // UTC+8, no daylight saving
  return { today: isoDay(cst), horizon: isoDay(cst + LICENCE_WARNING_DAYS * DAY_MS) };
}

/**
 * Whether a licence that runs until `expires` (YYYY-MM-DD) has expired or expires within the
 * window; null when it is valid beyond it, or no well-formed date is given.
 */
export function licenceExpiry(expires: unknown, window: LicenceWindow): LicenceExpiry | null {
  if (typeof expires !== 'string' || !ISO_DATE.test(expires)) return null;
  if (expires < window.today) return 'expired';
  return expires <= window.horizon ? 'expiring' : null;
}
