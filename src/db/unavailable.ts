import { logger } from '../logger';
import { countUnavailable } from '../metrics';

/**
 * Why a database call failed for want of the database (not because of the request):
 * - 'unreachable': refused, reset, terminated (57P01 admin shutdown, 57P02 crash shutdown,
 *   57P03 cannot connect now, class 08 connection exceptions), or no connection within the
 *   acquire timeout;
 * - 'slow': the statement ran past statement_timeout (57014), or the server did not answer
 *   within the client's query_timeout.
 * null: any other error — a bug or a constraint, not an outage.
 */
export type Unavailability = 'unreachable' | 'slow';

/** Seconds a client (or load balancer) is told to wait before trying again during an outage. */
export const RETRY_AFTER_SECONDS = 5;

const UNREACHABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);
// node-postgres reports a broken or never-made connection by message only.
const UNREACHABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'not queryable',
  'Client was closed',
];

export function databaseUnavailability(err: unknown, depth = 0): Unavailability | null {
  if (typeof err !== 'object' || err === null || depth > 3) return null;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === '57014') return 'slow';
  // node-postgres's query_timeout: the server did not answer at all (see db/pools.ts).
  if (e.message === 'Query read timeout') return 'slow';
  if (UNREACHABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'unreachable';
  if (e.name === 'KnexTimeoutError') return 'unreachable';
  const message = typeof e.message === 'string' ? e.message : '';
  if (UNREACHABLE_MESSAGES.some((m) => message.includes(m))) return 'unreachable';
  // Node reports a refused connect to every address of a host as one AggregateError.
  const nested = [...(Array.isArray(e.errors) ? e.errors : []), e.cause];
  for (const inner of nested) {
    const found = databaseUnavailability(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Whether the database is up, as this process last saw it. It logs one line when that changes
 * (up → down, down → up) rather than a stack per failed request. While down, it probes the
 * database every second (when given a probe) so that recovery is noticed and logged even before
 * the next request.
 */
export class DatabaseOutage {
  private downSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private probe: (() => Promise<unknown>) | null = null;

  watch(probe: () => Promise<unknown>): void {
    this.probe = probe;
  }

  get down(): boolean {
    return this.downSince !== null;
  }

  markDown(err: unknown): void {
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    logger.warn({ reason: describe(err) }, 'database unavailable: answering 503 until it is back');
    this.scheduleProbe();
  }

  markUp(): void {
    if (this.downSince === null) return;
    const seconds = (Date.now() - this.downSince) / 1000;
    this.downSince = null;
    this.stop();
    logger.warn({ downSeconds: Number(seconds.toFixed(1)) }, 'database available again');
  }

  /**
   * A pooled connection broke: one connection (a terminated backend) or the whole database?
   * Two probes tell: the first may itself draw a connection broken in the same moment.
   */
  suspect(err: unknown): void {
    const probe = this.probe;
    if (this.downSince !== null || !probe) return;
    probe()
      .catch(() => probe())
      .catch((probeErr: unknown) => {
        if (databaseUnavailability(probeErr)) this.markDown(err);
      });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private scheduleProbe(): void {
    const probe = this.probe;
    if (!probe || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      probe().then(
        () => this.markUp(),
        () => this.scheduleProbe(),
      );
    }, 1000);
    this.timer.unref();
  }
}

function describe(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as { code?: unknown; message?: unknown };
  return [e.code, e.message].filter((x) => typeof x === 'string' && x).join(' ') || 'unknown';
}

// Errors of a COMMIT (db/pools.ts marks them): the server may have committed before the
// connection broke, so the user must look before submitting again.
const commitErrors = new WeakSet<object>();

export function markCommitUncertain(err: unknown): void {
  if (typeof err === 'object' && err !== null) commitErrors.add(err);
}

export function isCommitUncertain(err: unknown): boolean {
  return typeof err === 'object' && err !== null && commitErrors.has(err);
}

/** The process's one view of its database (pools, error handler and /healthz share it). */
export const databaseOutage = new DatabaseOutage();

/** What pool 'error' listeners call: never throws, never logs a stack. */
export function noteDatabaseError(err: unknown): void {
  const reason = databaseUnavailability(err);
  if (reason) countUnavailable(reason);
  databaseOutage.suspect(err);
}
