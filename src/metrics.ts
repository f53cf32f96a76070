import http from 'node:http';
import type { Knex } from 'knex';
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Unavailability } from './db/unavailable';
import { logger } from './logger';

// What operators watch (Prometheus text format). Served only on a loopback listener of its own
// (METRICS_PORT), never on the public port: route names and pool sizes are not for visitors.

export const registry = new Registry();
// Process and Node.js figures, among them nodejs_eventloop_lag_seconds.
collectDefaultMetrics({ register: registry });

export const requestDuration = new Histogram({
  name: 'census_http_request_duration_seconds',
  help: 'HTTP request latency by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
  registers: [registry],
});

export const databaseUnavailable = new Counter({
  name: 'census_database_unavailable_total',
  help: 'Requests or pool connections that failed for want of the database: unreachable (refused, broken, no connection in time) or slow (statement or read timeout)',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export function countUnavailable(reason: Unavailability): void {
  databaseUnavailable.inc({ reason });
}

/** Connections in use, idle and waited for, per pool (knex's and the session store's). */
export function watchPools(knex: Knex, sessionPool: pg.Pool): void {
  const tarn = () =>
    (knex.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
  new Gauge({
    name: 'census_db_pool_connections',
    help: 'Database connections per pool and state (used, idle, waiting = callers waiting for one)',
    labelNames: ['pool', 'state'] as const,
    registers: [registry],
    collect() {
      const p = tarn();
      if (p) {
        this.set({ pool: 'app', state: 'used' }, p.numUsed());
        this.set({ pool: 'app', state: 'idle' }, p.numFree());
        this.set({ pool: 'app', state: 'waiting' }, p.numPendingAcquires());
      }
      this.set({ pool: 'session', state: 'used' }, sessionPool.totalCount - sessionPool.idleCount);
      this.set({ pool: 'session', state: 'idle' }, sessionPool.idleCount);
      this.set({ pool: 'session', state: 'waiting' }, sessionPool.waitingCount);
    },
  });
}

/**
 * The metrics listener on 127.0.0.1 only; resolves once it listens. Under WEB_CONCURRENCY the
 * primary serves it with every worker's metrics summed (`source`: prom-client's cluster aggregation).
 */
export function startMetricsServer(
  port: number,
  source: () => Promise<string> = () => registry.metrics(),
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    source().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (err: unknown) => {
        logger.warn({ err }, 'metrics could not be collected');
        res.writeHead(500).end();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`无法启动：METRICS_PORT ${port} 已被占用。`) : err),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
