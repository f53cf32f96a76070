import type { Request } from 'express';
import { BadRequest, NotFound } from '../domain/errors';
import { parseSeq } from '../domain/reviewForms';

// The HTTP boundary's one policy for what a URL or a form names by number:
// - an id (`:id`) that is not a positive integer names nothing: 404, like a foreign id;
// - `seq` (the workflow_seq a page was rendered with): absent is allowed (the compare-and-set
//   on the row still guards), malformed is a 400 — no form of ours sends it;
// - `?page=`: nonsense reads as the first page, and the service clamps it to the last one
//   (domain/paging.ts `lastPageClamp`).

/** `:id` as a positive integer of at most 9 digits, or 404 (a non-numeric id names nothing). */
export function idParam(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) throw new NotFound();
  const id = Number(raw);
  if (id < 1) throw new NotFound();
  return id;
}

/** `:id` of the request's path (see idParam). */
export function idOf(req: Request): number {
  return idParam(req.params.id);
}

/** The hidden `seq` of a posted form: undefined when absent, a 400 when malformed. */
export function seqParam(body: unknown): number | undefined {
  const seq = parseSeq(body);
  if (seq === 'bad') throw new BadRequest();
  return seq;
}

export { pageParam } from './viewModels/pagination';

const ID = '__id__';

/**
 * The route pattern of a paths.ts function of one id: `idRoute(paths.stored.show)` is
 * '/stored/:id' — routes are declared from the same functions the links are built with.
 */
export function idRoute(path: (id: string) => string): string {
  return path(ID).replace(ID, ':id');
}
