import type { Request } from 'express';

// What the posted forms of registration and filing share.

/** A posted form as a plain record (no body at all reads as an empty form). */
export const formBody = (req: Request): Record<string, unknown> =>
  req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};

/** The no-JavaScript step of the region selects: reload the form with the next level's list. */
export const isRefresh = (body: Record<string, unknown>): boolean => body._refresh === 'region';
