import type { Response } from 'express';
import { BadRequest } from '../domain/errors';

/**
 * One behaviour for a list page's filters that were not understood (a value no form offers, a
 * repeated parameter, an over-long keyword): the filter is ignored, the page is still shown with
 * the other filters applied, it says in Chinese which filters it ignored, and it answers 400.
 * A download (.xlsx) cannot show a notice: it refuses with the same message instead of
 * exporting a set the user did not ask for (`refuseNotUnderstood`).
 */
export function notUnderstoodMessage(labels: readonly string[]): string | null {
  if (labels.length === 0) return null;
  return `查询条件“${labels.join('”“')}”的取值无法识别，已忽略该条件；下面显示的是按其余条件查询的结果。`;
}

/** For downloads: a filter not understood refuses the export (400) rather than ignoring it. */
export function refuseNotUnderstood(labels: readonly string[]): void {
  const message = notUnderstoodMessage(labels);
  if (message) throw new BadRequest(message.replace(/；.*$/u, '，请重新选择查询条件后再导出。'));
}

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
