import type { NextFunction, Request, Response } from 'express';
import { BadRequest } from '../domain/errors';
import { BAD_TEXT_MESSAGE, hasUnstorableText } from '../domain/textInput';

/**
 * Refuses, before any route or query, a request whose path, query or form fields carry text
 * that cannot be stored (domain/textInput.ts): one 400 with a Chinese message, never an SQL
 * error. Runs after the body parser.
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(new BadRequest('网址格式不正确'));
  }
  if (hasUnstorableText(path) || hasUnstorableText(req.query) || hasUnstorableText(req.body))
    return next(new BadRequest(BAD_TEXT_MESSAGE));
  next();
}
