import { paths } from '../paths';
import { parseAccountQuery } from './queryParsers';
import { accountListHref, type AccountListMode } from './viewModels/admin';

// Links that carry the page to come back to.

/** The 催办 page of one system, coming back to `back` (the page it was opened from). */
export function urgeLink(systemId: number, back: string): string {
  return paths.urges.new({ system: systemId, back: back.split('#')[0] });
}

/** The searched list a row action came from, rebuilt from what it parses to (never a raw URL). */
export function listPostedFrom(mode: AccountListMode, body: unknown): string {
  const back = (body as { back?: unknown } | undefined)?.back;
  const raw = Object.fromEntries(new URLSearchParams(typeof back === 'string' ? back : ''));
  const query = parseAccountQuery(raw);
  return accountListHref(mode, query, query.page);
}
