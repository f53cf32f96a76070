// Paging of a list: the page asked for (routes/params.ts pageParam: nonsense is page 1) is
// clamped once the total is known, so that a page beyond the last shows the last one.

export interface PageSlice {
  /** The page shown, 1-based. */
  page: number;
  /** Rows before it. */
  offset: number;
}

/** The page of `total` rows, `size` a page, to show for `page`: at most the last (1 for none). */
export function lastPageClamp(page: number, total: number, size: number): PageSlice {
  const last = Math.max(1, Math.ceil(total / size));
  const shown = Math.min(page, last);
  return { page: shown, offset: (shown - 1) * size };
}
