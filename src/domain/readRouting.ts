// Read pages on a streaming replica (issue 14): which database a read page uses, and what it
// says about the replica's lag. Pure: the monitor (db/replica.ts) supplies what it last saw.

/** What the replica monitor last saw. */
export interface ReplicaView {
  /** The replica answered the last check. */
  up: boolean;
  /**
   * The latest moment (ms) by which everything committed on the primary is visible on the
   * replica: the monitor read the primary's WAL position at that moment, and then found the
   * replica had replayed it. Null until it first has.
   */
  syncedThrough: number | null;
}

export type ReadSource = 'replica' | 'primary';

/**
 * The replica, unless it is down or has not replayed everything up to the user's own last
 * write (`wroteAt`, ms, stamped when that write's response went out, after its commit):
 * read-your-writes without asking the replica per request.
 */
export function readSource(view: ReplicaView, wroteAt: number | undefined): ReadSource {
  if (!view.up || view.syncedThrough === null) return 'primary';
  if (wroteAt !== undefined && wroteAt >= view.syncedThrough) return 'primary';
  return 'replica';
}

/** Whole seconds since the replica was last known to hold everything (its lag, at most). */
export function replicaLagSeconds(view: ReplicaView, now: number): number {
  return view.syncedThrough === null ? 0 : Math.max(0, Math.floor((now - view.syncedThrough) / 1000));
}

/** What a page read from a lagging replica says (null: within `noticeSeconds`, nothing to say). */
export function replicaLagNotice(lagSeconds: number, noticeSeconds: number): string | null {
  if (lagSeconds <= noticeSeconds) return null;
  const ago = lagSeconds < 120 ? `${lagSeconds} 秒` : `${Math.floor(lagSeconds / 60)} 分钟`;
  return `本页数据来自只读副本，目前比主库滞后约 ${ago}：最近的审核、入库可能尚未显示，稍后刷新即可。`;
}
