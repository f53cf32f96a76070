import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Services } from '../services';
import { readSource, replicaLagNotice, replicaLagSeconds } from '../domain/readRouting';

declare module 'express-session' {
  interface SessionData {
    /** When this user's last write's response went out (ms): their reads wait for the replica. */
    wroteAt?: number;
  }
}

/** The services of the read pages (已入库, 信息追踪, 统计分析 and their exports). */
export type ReadPages = Pick<Services, 'stored' | 'tracking' | 'stats'>;

const READS = Symbol('readPages');

/**
 * Stamps a signed-in user's session when a request that may write (any method but GET/HEAD)
 * answers: the stamp is taken as the response goes out, after its transaction committed, and is
 * saved with the session before the response ends (express-session saves in res.end).
 */
export function rememberWrites(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    (res as unknown as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]) => {
      if (req.session?.userId !== undefined) req.session.wroteAt = Date.now();
      return end(...args);
    };
    next();
  };
}

/**
 * Chooses the read pages' database per request: the replica (when there is one, it is up and it
 * holds the user's own last write) or the primary; a lagging replica is said on the page.
 */
export function routeReads(services: Services): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const { replica, onReplica } = services;
    const view = replica?.view();
    if (view && onReplica && readSource(view, req.session?.wroteAt) === 'replica') {
      (res.locals as Record<symbol, ReadPages>)[READS] = onReplica;
      res.set('X-Read-Source', 'replica');
      const notice = replicaLagNotice(
        replicaLagSeconds(view, Date.now()),
        services.config.replicaLagNoticeSeconds,
      );
      if (notice) res.locals.replicaNotice = notice;
    }
    next();
  };
}

/** The read pages' services for this request (the primary's unless routeReads chose the replica). */
export function readPagesOf(res: Response, services: Services): ReadPages {
  return (res.locals as Record<symbol, ReadPages | undefined>)[READS] ?? services;
}
