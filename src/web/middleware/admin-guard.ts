import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../../errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Guards /admin/api: requires `Authorization: Bearer <admin.token>` (env YARDSTICK_ADMIN_TOKEN). An
 * empty token disables the admin API (403 saying how to enable it). Compared in constant time.
 */
export function adminGuard(options: { token: string }): RequestHandler {
  const expected = options.token ? digest(options.token) : undefined;
  return (req, _res, next) => {
    if (!expected)
      return next(
        new ForbiddenError(
          'The admin API is disabled: set YARDSTICK_ADMIN_TOKEN (config admin.token) and send it as "Authorization: Bearer <token>".',
        ),
      );
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected))
      return next(
        new UnauthenticatedError(
          'The admin API needs "Authorization: Bearer <token>" with the value of YARDSTICK_ADMIN_TOKEN.',
        ),
      );
    next();
  };
}
