import type { Knex } from 'knex';
import { logger } from '../logger';
import type { Config } from '../config';
import { createKnex } from './pools';
import type { ReplicaView } from '../domain/readRouting';

/**
 * The streaming replica's monitor. Every `intervalMs` it reads the primary's current WAL
 * position and asks the replica whether it has replayed that far: if so, everything committed on
 * the primary before the first read is visible on the replica (ReplicaView.syncedThrough). A
 * replica that does not answer is `up: false` — the read pages then use the primary, with one
 * warning in the log per outage.
 */
export class ReplicaMonitor {
  private current: ReplicaView = { up: false, syncedThrough: null };
  private timer: NodeJS.Timeout | null = null;
  private warned = false;
  private running = false;

  constructor(
    readonly replica: Knex,
    private readonly primary: Knex,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  view(): ReplicaView {
    return this.current;
  }

  async check(): Promise<void> {
    if (this.running) return; // a stalled replica: one check waits, the next ones do not pile up
    this.running = true;
    try {
      await this.checkOnce();
    } finally {
      this.running = false;
    }
  }

  private async checkOnce(): Promise<void> {
    const at = this.now();
    let lsn: string;
    try {
      const primary = await this.primary.raw<{ rows: { lsn: string }[] }>(
        'select pg_current_wal_lsn()::text as lsn',
      );
      lsn = primary.rows[0].lsn;
    } catch {
      return; // the primary's own outage is handled elsewhere; the replica's view stays
    }
    try {
      const replica = await this.replica.raw<{ rows: { standby: boolean; caught_up: boolean | null }[] }>(
        'select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn() >= ?::pg_lsn as caught_up',
        [lsn],
      );
      const { standby, caught_up } = replica.rows[0];
      if (!standby && !this.warned) {
        this.warned = true;
        logger.warn('DATABASE_REPLICA_URL is not a standby: the read pages use the primary');
      }
      if (this.warned && standby) {
        this.warned = false;
        logger.warn('read replica reachable again: the read pages use it');
      }
      this.current = {
        up: standby,
        syncedThrough: standby && caught_up ? at : this.current.syncedThrough,
      };
    } catch (err) {
      if (!this.warned) {
        this.warned = true;
        const reason = err instanceof Error ? err.message : String(err);
        logger.warn({ reason }, 'read replica unreachable: the read pages use the primary');
      }
      this.current = { ...this.current, up: false };
    }
  }

  /** Checks now and then every interval; returns the stop. */
  start(): () => void {
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
    return () => this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops checking and closes the replica's pool. */
  async close(): Promise<void> {
    this.stop();
    await this.replica.destroy();
  }
}

/** The replica at DATABASE_REPLICA_URL (same bounded waits as the primary), or null. */
export function openReplica(config: Config, primary: Knex): ReplicaMonitor | null {
  if (!config.databaseReplicaUrl) return null;
  const replica = createKnex(
    config.databaseReplicaUrl,
    false,
    { acquireMs: config.databaseAcquireMs, statementMs: config.databaseStatementMs },
    10,
  );
  return new ReplicaMonitor(replica, primary, config.replicaCheckMs);
}
