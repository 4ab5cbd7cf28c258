import { formatCount } from '../../reports/charts/format.js';

/** Rows a paged list shows at once (the course report's learner list and roster). */
export const PAGE_SIZE = 50;

export interface Pager {
  /** 1-based page shown, clamped to the pages there are. */
  page: number;
  pages: number;
  total: number;
  /** 1-based positions of the first and last row shown (0 and 0 when there are none). */
  from: number;
  to: number;
  /** Links to the previous and next page, when there is one. */
  previousHref: string | null;
  nextHref: string | null;
}

/**
 * One page of a list of `total` rows: which rows to read (`limit`, `offset`) and the pager to show.
 * `href(page)` gives the address of another page (the current filters kept). A page past the end shows
 * the last one.
 */
export function pageOf(
  total: number,
  requested: number | undefined,
  href: (page: number) => string,
  size = PAGE_SIZE,
): { limit: number; offset: number; pager: Pager } {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, requested ?? 1), pages);
  const offset = (page - 1) * size;
  return {
    limit: size,
    offset,
    pager: {
      page,
      pages,
      total,
      from: total === 0 ? 0 : offset + 1,
      to: Math.min(total, offset + size),
      previousHref: page > 1 ? href(page - 1) : null,
      nextHref: page < pages ? href(page + 1) : null,
    },
  };
}

/** A pager as the `pager` partial shows it: with its line, e.g. "Showing 51–100 of 10,000". */
export function pagerView(pager: Pager): Pager & { summary: string } {
  const summary = pager.total
    ? `Showing ${formatCount(pager.from)}–${formatCount(pager.to)} of ${formatCount(pager.total)}`
    : 'None yet';
  return { ...pager, summary };
}
