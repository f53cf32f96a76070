import type { NextFunction, Request, Response } from 'express';
import { isAppError, NotFound } from '../domain/errors';
import { logger } from '../logger';
import { countUnavailable } from '../metrics';
import {
  databaseOutage,
  databaseUnavailability,
  isCommitUncertain,
  RETRY_AFTER_SECONDS,
} from '../db/unavailable';
import { resubmission } from './resubmit';

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction) {
  next(new NotFound());
}

// The one place errors become responses: typed errors keep their status and Chinese message;
// anything else is logged and shown as a plain 500 — never a stack or an SQL error.
const ERROR_TITLES: Record<number, string> = {
  400: '请求有误',
  403: '无权访问',
  404: '页面不存在',
  409: '操作冲突',
  413: '请求有误',
};

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction) {
  void _next;
  const unavailable = databaseUnavailability(err);
  if (unavailable) {
    countUnavailable(unavailable);
    databaseOutage.markDown(err);
    if (res.headersSent) return;
    res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS));
    res.render('pages/unavailable', {
      title: '数据库暂时不可用',
      status: 503,
      posted: req.method === 'POST',
      mayHaveCommitted: isCommitUncertain(err),
      resubmit: resubmission(req),
    });
    return;
  }
  let status = 500;
  let message = '系统繁忙，请稍后再试。如问题持续，请联系技术支持。';
  if (isAppError(err)) {
    status = err.status;
    message = err.userMessage;
  } else {
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
  }
  if (res.headersSent) return;
  res.status(status);
  const title = ERROR_TITLES[status] ?? '出错了';
  res.render('pages/error', { title, status, message });
}
