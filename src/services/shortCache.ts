/**
 * A few seconds' memory for expensive read-only results (the statistics' aggregates): requests
 * for the same key within `ttlMs` share one computation — including the ones that arrive while
 * it is still running. Not shared between processes, and not needed to be: it only saves work.
 *
 * For another `ttlMs` after that, a request still gets the result it would have had a moment
 * ago while one computation of the next runs in the background (refresh ahead): under steady
 * use nobody waits for the aggregate. Only a key idle for longer is computed while its
 * requester waits. So a result is at most about two periods old, and says when it was taken.
 */
export function shortCache<T>(ttlMs: number, maxEntries = 500) {
  interface Entry {
    at: number;
    value: Promise<T>;
    settled: boolean;
    refreshing: boolean;
  }
  const entries = new Map<string, Entry>();

  function start(key: string, compute: () => Promise<T>): Entry {
    const entry: Entry = { at: Date.now(), value: compute(), settled: false, refreshing: false };
    entry.value.then(
      () => (entry.settled = true),
      () => entries.get(key) === entry && entries.delete(key), // a failure is not remembered
    );
    return entry;
  }

  function remember(key: string, entry: Entry): void {
    entries.delete(key); // re-inserted last: the oldest key is the first one dropped
    entries.set(key, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  }

  return (key: string, compute: () => Promise<T>): Promise<T> => {
    if (ttlMs <= 0) return compute();
    const hit = entries.get(key);
    const age = hit ? Date.now() - hit.at : Infinity;
    if (hit && age < ttlMs) return hit.value;
    if (hit && hit.settled && age < 2 * ttlMs) {
      if (!hit.refreshing) {
        hit.refreshing = true;
        const next = start(key, compute);
        next.value.then(
          () => entries.get(key) === hit && remember(key, next),
          () => (hit.refreshing = false), // the next request tries again
        );
      }
      return hit.value;
    }
    const entry = start(key, compute);
    remember(key, entry);
    return entry.value;
  };
}
