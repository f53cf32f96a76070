import type { NextFunction, Request, Response } from 'express';

type Flash = { kind: 'success' | 'error' | 'info'; text: string };

/** One-time messages shown on the next page (after a redirect). */
export function flash(req: Request, kind: Flash['kind'], text: string): void {
  (req.session.flash ??= []).push({ kind, text });
}

/**
 * `takeFlash()` for the page frame: the messages are consumed only by a full page that shows
 * them — not by a fragment, an image or any other request that happens to come first.
 */
export function setUpFlash() {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.takeFlash = (): Flash[] => {
      const messages = req.session?.flash ?? [];
      if (req.session?.flash) delete req.session.flash;
      return messages;
    };
    next();
  };
}
