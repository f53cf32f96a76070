/**
 * A few seconds' memory for expensive read-only results (the statistics' aggregates): requests
 * for the same key within `ttlMs` share one computation — including the ones that arrive while
 * it is still running. Not shared between processes, and not needed to be: it only saves work.
 */
export function shortCache<T>(ttlMs: number, maxEntries = 500) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (key: string, compute: () => Promise<T>): Promise<T> => {
    if (ttlMs <= 0) return compute();
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    const value = compute();
    entries.set(key, { at: now, value });
    value.catch(() => entries.delete(key)); // a failure is not remembered
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return value;
  };
}
