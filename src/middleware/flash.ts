import type { NextFunction, Request, Response } from 'express';

/** One-time messages shown on the next page (after a redirect). */
export function flash(req: Request, kind: 'success' | 'error' | 'info', text: string): void {
  (req.session.flash ??= []).push({ kind, text });
}

export function setUpFlash() {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.flash = req.session?.flash ?? [];
    if (req.session?.flash) delete req.session.flash;
    next();
  };
}
