import type { Response } from 'express';
import { notUnderstoodMessage } from '../services/queryParams';

/**
 * A list page whose URL had filters it could not understand: the page is still shown (with the
 * other filters), the layout says which filters were ignored, and the answer is 400 — the one
 * behaviour of every list (待审核, 已入库, 信息追踪, 账号管理).
 */
export function noteFiltersNotUnderstood(res: Response, labels: readonly string[]): void {
  const message = notUnderstoodMessage(labels);
  if (!message) return;
  res.status(400);
  res.locals.filterNotice = message;
}
