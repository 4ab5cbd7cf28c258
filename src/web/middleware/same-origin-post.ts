import type { RequestHandler } from 'express';
import { ForbiddenError } from '../../errors.js';

/**
 * CSRF defence for form posts made from Yardstick's own pages (OWASP: verify the origin with standard
 * headers). LTI session cookies are SameSite=None so they work in the LMS iframe, which also means the
 * browser would send them with a post from any site; browsers send `Origin` on every such post.
 */
export function sameOriginPost(publicUrl: string): RequestHandler {
  const allowed = new URL(publicUrl).origin;
  return (req, _res, next) => {
    if (req.method !== 'POST') return next();
    const origin = req.get('origin') ?? originOf(req.get('referer'));
    const own = `${req.protocol}://${req.get('host')}`;
    if (origin === allowed || origin === own) return next();
    next(new ForbiddenError('This form was not sent from a Yardstick page; reload the page and try again.'));
  };
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
