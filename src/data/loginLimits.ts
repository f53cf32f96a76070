import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

// Login throttling on rate-limiter-flexible's PostgreSQL store, after its "login endpoint
// protection" recipe: consecutive wrong passwords per username + address, wrong passwords per
// address per day, and — counted apart — wrong captchas per address. The counters live in the
// database (table login_limits), so every app process shares them. The limiters run on the knex
// pool (storeType 'knex'), which has one connection in embedded mode: never call them inside a
// transaction.

const TABLE = 'login_limits';
const USERNAME_ADDRESS = 'login_user_addr';
const ADDRESS_DAY = 'login_addr_day';
const ADDRESS_CAPTCHA = 'login_addr_captcha';
const DAY_SECONDS = 24 * 60 * 60;

export interface LoginLimitSettings {
  /** Consecutive wrong passwords of one username from one address before its logins pause. */
  maxFailures: number;
  lockMinutes: number;
  /** Wrong passwords per address per day, whatever the usernames. */
  addressDailyFailures: number;
  /** Wrong captchas per address per captchaWindowMinutes. */
  captchaFailures: number;
  captchaWindowMinutes: number;
}

/**
 * A typed username as part of a key, existing or not: hashed, so that any length fits and what
 * was typed (a password in the wrong field, say) is not stored.
 */
function usernameHash(username: string): string {
  return crypto.createHash('sha256').update(username).digest('hex');
}

/** An address as part of a key, bounded (a misconfigured proxy chain could pass anything). */
const addressKey = (address: string): string => address.slice(0, 64);

/** The hex hash has no ':', so this prefix names a username's keys from every address. */
const usernamePrefix = (username: string): string => `${usernameHash(username)}:`;

/**
 * A limiter that counts `budget` failures and refuses from then on. The library refuses (and
 * starts `blockSeconds`) at the consume that exceeds `points`, so points = budget - 1.
 */
function limiter(
  knex: Knex,
  keyPrefix: string,
  budget: number,
  durationSeconds: number,
  options: { blockSeconds?: number; sweepExpired?: boolean } = {},
): RateLimiterPostgres {
  return new UnpreparedRateLimiterPostgres({
    storeClient: knex,
    storeType: 'knex',
    tableName: TABLE,
    tableCreated: true, // by the migration
    // All limiters share the table: one of them sweeps its expired rows (every 5 minutes).
    clearExpiredByTimeout: options.sweepExpired ?? false,
    keyPrefix,
    points: budget - 1,
    duration: durationSeconds,
    blockDuration: options.blockSeconds ?? 0,
  });
}

/**
 * The library names its statements (prepared once per connection). PGlite runs every connection
 * through one backend session, so a second connection — a reconnect after the pool reaped an
 * idle one, or the next test's pool — fails with 42P05 "prepared statement already exists".
 * Unnamed statements work on both servers; a login is not worth the saved parse.
 */
class UnpreparedRateLimiterPostgres extends RateLimiterPostgres {
  _query(q: { name?: string; text: string; values?: unknown[] }): Promise<unknown> {
    // @ts-expect-error -- _query is the library's internal hook (lib/RateLimiterPostgres.js)
    return super._query({ text: q.text, values: q.values });
  }
}

/** Milliseconds until the key may be tried again; 0 when it may now. */
async function waitMs(l: RateLimiterPostgres, key: string): Promise<number> {
  const res = await l.get(key);
  return res && res.consumedPoints > l.points ? Math.max(res.msBeforeNext, 1) : 0;
}

/**
 * Counts one failure; true when this one engaged the limit (the first refusal: the pause begins
 * now). Being refused is not an error: that is the limit engaging.
 */
async function countFailure(l: RateLimiterPostgres, key: string): Promise<boolean> {
  try {
    await l.consume(key);
    return false;
  } catch (refusal) {
    if (refusal instanceof Error) throw refusal; // a database error; a refusal is a RateLimiterRes
    return (refusal as { consumedPoints?: number }).consumedPoints === l.points + 1;
  }
}

export function loginLimiters(knex: Knex, s: LoginLimitSettings) {
  // Failures are forgotten a day after the first of a run, or at a right password.
  const byUsernameAddress = limiter(knex, USERNAME_ADDRESS, s.maxFailures, DAY_SECONDS, {
    blockSeconds: s.lockMinutes * 60,
    sweepExpired: true,
  });
  const byAddressDay = limiter(knex, ADDRESS_DAY, s.addressDailyFailures, DAY_SECONDS);
  const captchaByAddress = limiter(knex, ADDRESS_CAPTCHA, s.captchaFailures, s.captchaWindowMinutes * 60);
  const usernameAddressKey = (username: string, address: string) =>
    usernamePrefix(username) + addressKey(address);

  return {
    /** How long the address must wait before any login (wrong passwords today, wrong captchas lately). */
    async addressWaitMs(address: string): Promise<number> {
      const key = addressKey(address);
      const waits = await Promise.all([waitMs(byAddressDay, key), waitMs(captchaByAddress, key)]);
      return Math.max(...waits);
    },
    /** Whether logins of this username from this address pause after consecutive wrong passwords. */
    async paused(username: string, address: string): Promise<boolean> {
      return (await waitMs(byUsernameAddress, usernameAddressKey(username, address))) > 0;
    },
    captchaWrong: async (address: string): Promise<void> => {
      await countFailure(captchaByAddress, addressKey(address));
    },
    /** Counts a wrong password; true when it starts the username's pause (账号锁定) from the address. */
    async passwordWrong(username: string, address: string): Promise<boolean> {
      await countFailure(byAddressDay, addressKey(address));
      return countFailure(byUsernameAddress, usernameAddressKey(username, address));
    },
    /** A right password ends the username's run of failures from the address (not the daily count). */
    async passwordRight(username: string, address: string): Promise<void> {
      await byUsernameAddress.delete(usernameAddressKey(username, address));
    },
  };
}

export type LoginLimiters = ReturnType<typeof loginLimiters>;

/** What 账号管理 and a password reset see of the limiters: SQL on their table. */
export function loginLimitsRepo(db: Knex | Knex.Transaction) {
  const usernameKeys = (q: Knex.QueryBuilder) =>
    q.whereRaw(`split_part(key, ':', 1) = ?`, [USERNAME_ADDRESS]);
  return {
    /**
     * For each of the usernames paused now from some address, when its last pause ends.
     * A paused key holds `maxFailures` points (see limiter()); a run still counting, fewer.
     */
    async pausedUntil(usernames: string[], maxFailures: number): Promise<Map<string, Date>> {
      if (usernames.length === 0) return new Map();
      const byHash = new Map(usernames.map((u) => [usernameHash(u), u]));
      const rows: { hash: string; until: number }[] = await usernameKeys(db(TABLE))
        .whereRaw(`split_part(key, ':', 2) = ANY(?)`, [[...byHash.keys()]])
        .andWhere('points', '>=', maxFailures)
        .andWhere('expire', '>', Date.now())
        .groupByRaw(`split_part(key, ':', 2)`)
        .select(db.raw(`split_part(key, ':', 2) AS hash`), db.raw('max(expire) AS until'));
      return new Map(rows.map((r) => [byHash.get(r.hash)!, new Date(Number(r.until))]));
    },
    /** Lifts the username's pauses and forgets its failures, from every address. */
    forgetUsername: (username: string) =>
      db(TABLE)
        .whereRaw('starts_with(key, ?)', [`${USERNAME_ADDRESS}:${usernamePrefix(username)}`])
        .delete(),
  };
}
