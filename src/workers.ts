import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from './config';
import { logger } from './logger';
import { registry, startMetricsServer } from './metrics';

// WEB_CONCURRENCY=N: N server processes on one port (node:cluster: the primary accepts and hands
// the connections out). The primary holds no database connection; each worker starts as a single
// server does (migrations and the seed under the start lock, so N starting at once is safe).

/** What a worker tells its primary once it listens: the start lines, printed once by the primary. */
interface Listening {
  type: 'census:listening';
  lines: string[];
}

const isListening = (m: unknown): m is Listening =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'census:listening';

/** In a worker: hand the start lines to the primary. Elsewhere: print them. */
export function announceStart(lines: string[]): void {
  if (cluster.isWorker && process.send) process.send({ type: 'census:listening', lines } satisfies Listening);
  else console.log(lines.join('\n'));
}

/** In a worker: answer the primary's metrics requests with this process's registry. */
export function joinClusterMetrics(): void {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // its constructor installs the worker's listener
}

/** More restarts than this within a minute: something is wrong with every start, give up. */
const MAX_RESTARTS_PER_MINUTE = 5;

/**
 * The primary: forks the workers, prints the start once, restarts a worker that dies after it
 * listened, ends with exit 1 when a worker cannot start at all (a port in use, a bad database),
 * and on SIGTERM/SIGINT stops every worker (each finishes its requests) and then itself.
 */
export async function runPrimary(config: Config): Promise<void> {
  const listened = new Set<number>();
  const restarts: number[] = [];
  let stopping = false;
  let announced = false;

  const stopAll = (code: number) => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    if (!alive.length) process.exit(code);
    for (const w of alive) w.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of alive) w.process.kill('SIGKILL');
      process.exit(code);
    }, config.shutdownGraceMs + 5000).unref();
    cluster.on('exit', () => {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(code);
    });
  };

  cluster.on('message', (worker, message: unknown) => {
    if (!isListening(message)) return;
    listened.add(worker.id);
    if (announced) return;
    announced = true;
    console.log([...message.lines.slice(0, -1), `工作进程：${config.webConcurrency} 个`, ''].join('\n'));
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listened.has(worker.id)) {
      logger.error({ code, signal }, 'a worker could not start: stopping');
      stopAll(code || 1);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      logger.error({ code, signal }, 'workers keep exiting: stopping');
      stopAll(1);
      return;
    }
    logger.warn({ code, signal }, 'a worker exited: starting another');
    cluster.fork();
  });
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));

  if (config.metricsPort) {
    const aggregator = new AggregatorRegistry();
    await startMetricsServer(config.metricsPort, () => aggregator.clusterMetrics());
  }
  for (let i = 0; i < config.webConcurrency; i++) cluster.fork();
}
