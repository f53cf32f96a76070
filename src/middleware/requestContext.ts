import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestDuration } from '../metrics';
import { logger, requestIds } from '../logger';
import type { TrustProxy } from '../config';

// Every request gets an id: on the response (X-Request-Id), on every log line written while
// it is handled (logger.ts reads it from here), and its latency in the metrics by route.

// A proxy's id is taken only when the proxy is trusted, and only if it looks like one.
const PROXY_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function setUpRequestContext(trustProxy: TrustProxy) {
  const takeProxyId = trustProxy !== false;
  return (req: Request, res: Response, next: NextFunction) => {
    const offered = req.get('x-request-id');
    const id = takeProxyId && offered && PROXY_ID.test(offered) ? offered : randomUUID();
    res.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      // The route pattern (/review/:id), not the URL: one series per page, not per record.
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      logger.info(
        { reqId: id, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
        'request',
      );
    });
    requestIds.run(id, next);
  };
}
