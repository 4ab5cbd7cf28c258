import type { CookieOptions, Request } from 'express';

export const SESSION_COOKIE = 'yardstick_lti';

/** Reads one cookie from the Cookie header (no parser dependency; values are URL-decoded). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The session cookie: inside an LMS iframe the tool is a third party, so the cookie must be
 * SameSite=None and therefore Secure (browsers treat http://localhost as secure for this).
 */
export function sessionCookieOptions(settings: {
  sameSite: 'None' | 'Lax' | 'Strict';
  secure: boolean;
  partitioned: boolean;
  maxAgeMs: number;
}): CookieOptions {
  return {
    partitioned: settings.partitioned && settings.sameSite === 'None' && settings.secure,
    httpOnly: true,
    sameSite: settings.sameSite.toLowerCase() as 'none' | 'lax' | 'strict',
    secure: settings.secure,
    path: '/',
    maxAge: settings.maxAgeMs,
  };
}
