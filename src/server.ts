import type http from 'node:http';
import { loadConfig, type Config } from './config';
import { openDatabase, underStartLock, type Database } from './db/database';
import { createServices } from './services';
import { createApp } from './app';
import { logger } from './logger';
import { seedOnStart } from './cli/seedOnStart';
import { databaseOutage } from './db/unavailable';
import { startMetricsServer, watchPools } from './metrics';
import { openReplica } from './db/replica';
import { pingDatabase } from './data/health';
import cluster from 'node:cluster';
import { announceStart, joinClusterMetrics, runPrimary } from './workers';

async function main(config: Config): Promise<void> {
  const started = Date.now();
  const db = await openDatabase(
    config,
    { command: 'server', address: `http://localhost:${config.port}` },
    true,
  );
  const replica = openReplica(config, db.knex);
  const services = createServices(db.knex, config, undefined, replica);
  const stopReplica = replica?.start();
  // Processes starting at once seed one after another (the second finds it done).
  const notes = await underStartLock(db.url, db.embedded, () => seedOnStart(db.knex, services, config));
  databaseOutage.watch(() => pingDatabase(db.knex));
  const app = createApp({ services, sessionPool: db.sessionPool });
  watchPools(db.knex, db.sessionPool);
  const metricsServer =
    config.metricsPort && !cluster.isWorker ? await startMetricsServer(config.metricsPort) : null;
  const server = app.listen(config.port);
  applyLimits(server, config);
  server.once('error', (err: NodeJS.ErrnoException) => {
    const why =
      err.code === 'EADDRINUSE' ? `端口 ${config.port} 已被占用（另一个程序正在使用它）` : err.message;
    console.error(`无法启动：${why}。请更换 PORT 或停止占用该端口的程序。`);
    process.exit(1);
  });
  server.once('listening', () => {
    const where = db.embedded ? `嵌入式 PostgreSQL（${config.dataDir}）` : 'DATABASE_URL 指定的 PostgreSQL';
    const lines = [
      '',
      `非煤矿山安全生产基本情况普查系统 已启动：http://localhost:${config.port}`,
      `数据库：${where}；启动用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`,
      ...notes,
      '',
    ];
    announceStart(lines);
  });
  // Behind the start, not in its way: the national statistics page is always warm.
  const warmFailed = (err: unknown) => logger.warn({ err }, 'statistics warm-up failed');
  const stopWarming = services.stats.keepWarm(warmFailed);
  const stopWarmingReplica = services.onReplica?.stats.keepWarm(warmFailed);
  const stopPruning = services.session.pruneExpiredEvery(10 * 60_000, (err) =>
    logger.warn({ err }, 'pruning expired sessions failed'),
  );
  // 站内通知 and reminders: every process runs the job; its advisory lock lets one run per interval.
  const stopReminders = services.reminders.runEvery(config.reminderIntervalMs, (err) =>
    logger.warn({ err }, 'reminder job failed'),
  );
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stopWarming();
    stopWarmingReplica?.();
    stopReplica?.();
    stopPruning();
    stopReminders();
    databaseOutage.stop();
    metricsServer?.close();
    void shutDown(server, db, config.shutdownGraceMs)
      .then(() => replica?.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** Slow or idle clients cannot hold connections open for long, nor open unboundedly many. */
function applyLimits(server: http.Server, config: Config): void {
  server.headersTimeout = config.httpHeadersTimeoutMs;
  server.requestTimeout = config.httpRequestTimeoutMs;
  server.maxConnections = config.httpMaxConnections;
  server.keepAliveTimeout = 5000;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
}

/** Responses not yet finished, so that a shutdown can end their connections after them. */
const inFlight = new Set<http.ServerResponse>();

/**
 * Stops accepting, lets requests in flight finish (their keep-alive connections then close),
 * closes idle connections at once and whatever is left after `graceMs`, then the pools. The
 * process manager's own deadline (systemd, a container stop) is longer than this.
 */
async function shutDown(server: http.Server, db: Database, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Requests in flight, or still arriving on a kept-alive connection, are answered; then
  // their connection ends instead of waiting for the next request.
  for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('Connection', 'close');
  });
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  deadline.unref();
  await closed;
  clearTimeout(deadline);
  await Promise.race([db.close(), new Promise((resolve) => setTimeout(resolve, 1500).unref())]);
}

function start(): Promise<void> {
  const config = loadConfig();
  if (config.webConcurrency > 1 && cluster.isPrimary) return runPrimary(config);
  // Under WEB_CONCURRENCY the primary serves every worker's metrics: a worker answers from its start.
  if (cluster.isWorker) joinClusterMetrics();
  return main(config);
}

start().catch((err) => {
  logger.fatal({ err }, 'failed to start');
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
