export interface PageLink {
  page: number;
  href: string;
  current: boolean;
}

export interface PaginationView {
  page: number;
  pageCount: number;
  total: number;
  prev: string | null;
  next: string | null;
  links: (PageLink | null)[]; // null: a gap (…)
}

export const PAGE_SIZE = 20;

/** Parses ?page= (1-based), clamping nonsense to 1. */
export function pageParam(raw: unknown): number {
  const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : NaN;
  return Number.isSafeInteger(n) && n >= 1 && n <= 100000 ? n : 1;
}

export function paginationView(
  total: number,
  page: number,
  hrefFor: (page: number) => string,
  size = PAGE_SIZE,
): PaginationView {
  const pageCount = Math.max(1, Math.ceil(total / size));
  const wanted = new Set([1, pageCount, page - 2, page - 1, page, page + 1, page + 2]);
  const pages = [...wanted].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);
  const links: (PageLink | null)[] = [];
  pages.forEach((p, i) => {
    if (i > 0 && p - pages[i - 1] > 1) links.push(null);
    links.push({ page: p, href: hrefFor(p), current: p === page });
  });
  return {
    page,
    pageCount,
    total,
    prev: page > 1 ? hrefFor(page - 1) : null,
    next: page < pageCount ? hrefFor(page + 1) : null,
    links,
  };
}
