import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ForbiddenError, TooManyRequestsError, UnauthenticatedError } from '../../errors.js';
import { route } from '../async-route.js';
import { AUTH_BACKOFF, createMemoryFailureLimiter, type FailureLimiter } from './failure-limiter.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Guards /admin/api: requires `Authorization: Bearer <admin.token>` (env YARDSTICK_ADMIN_TOKEN, 32+
 * characters, checked at start). An empty token disables the admin API (403 saying how to enable it).
 * Compared in constant time; wrong tokens (not missing ones) count against the client address, which is then answered
 * 429 with Retry-After for a doubling while.
 */
export function adminGuard(options: { token: string; limiter?: FailureLimiter }): RequestHandler {
  const expected = options.token ? digest(options.token) : undefined;
  const limiter = options.limiter ?? createMemoryFailureLimiter({ address: AUTH_BACKOFF.key });
  return route(async (req, _res, next) => {
    if (!expected)
      throw new ForbiddenError(
        'The admin API is disabled: set YARDSTICK_ADMIN_TOKEN (config admin.token) and send it as "Authorization: Bearer <token>".',
      );
    const subject = `address:${req.ip ?? 'unknown'}`;
    const wait = await limiter.retryAfterSeconds([subject]);
    if (wait > 0)
      throw new TooManyRequestsError(
        `Too many wrong admin tokens from this address; wait ${wait} s, then send the value of YARDSTICK_ADMIN_TOKEN.`,
        wait,
      );
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      if (match) await limiter.recordFailure([subject]);
      throw new UnauthenticatedError(
        'The admin API needs "Authorization: Bearer <token>" with the value of YARDSTICK_ADMIN_TOKEN.',
      );
    }
    await limiter.recordSuccess(subject);
    next();
  });
}
