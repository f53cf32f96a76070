import type { Request } from 'express';

// What a POST that met a database outage carried, so that the 503 page can hold it and post it
// again once the database is back: the page needs no database to show it, and nothing the user
// typed is lost. Forms with secrets or single-use answers (password, captcha) are not echoed
// into a page: those are typed again.

export interface Resubmission {
  action: string;
  fields: readonly (readonly [string, string])[];
  /** Fields the user filled in (not counting hidden ones such as the CSRF token). */
  filled: number;
}

const SECRET = /password|captcha|secret|totp|^code$/i;
const HIDDEN = new Set(['_csrf', 'seq', 'intent']);

export function resubmission(req: Request): Resubmission | null {
  if (req.method !== 'POST' || !req.is('application/x-www-form-urlencoded')) return null;
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return null;
  const fields: [string, string][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (SECRET.test(name)) return null;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string') return null; // nested shapes: not a form we render
      fields.push([name, item]);
    }
  }
  const filled = fields.filter(([name, value]) => !HIDDEN.has(name) && value.trim() !== '').length;
  return { action: req.originalUrl, fields, filled };
}
