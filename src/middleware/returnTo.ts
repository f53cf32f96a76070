import type { Request, Response } from 'express';

// Where to go after login, kept in a short-lived cookie of its own rather than in a session: an
// anonymous request for a page that needs login does not start a session (nor write its row).
const RETURN_COOKIE = 'fkm.return';

export function rememberReturn(req: Request, res: Response): void {
  res.cookie(RETURN_COOKIE, req.originalUrl, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/login',
    maxAge: 15 * 60 * 1000,
  });
}

/** The remembered page if it is a path of this site (never another host), and forgets it. */
export function takeReturn(req: Request, res: Response): string | null {
  const raw = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${RETURN_COOKIE}=`));
  if (!raw) return null;
  res.clearCookie(RETURN_COOKIE, { path: '/login' });
  let value: string;
  try {
    value = decodeURIComponent(raw.slice(RETURN_COOKIE.length + 1));
  } catch {
    return null;
  }
  return value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : null;
}
