import type { Response } from 'express';

/** The origin (scheme://host:port) of each URL; unparseable ones are skipped. */
export function originsOf(urls: readonly string[]): string[] {
  const out = new Set<string>();
  for (const u of urls) {
    try {
      out.add(new URL(u).origin);
    } catch {
      /* not a URL: nothing to allow */
    }
  }
  return [...out];
}

/**
 * Sets `Content-Security-Policy: frame-ancestors` (CSP Level 2, 7.7): which pages may frame this
 * response. Pages of a launch allow the launching platform; error pages of a failed launch allow any
 * page (they hold no data and must be readable inside whatever LMS framed them); others only 'self'.
 */
export function setFrameAncestors(res: Response, allowed: readonly string[] | '*'): void {
  const value = allowed === '*' ? '*' : ["'self'", ...allowed].join(' ');
  res.set('Content-Security-Policy', `frame-ancestors ${value}`);
}
