import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../../errors.js';

/**
 * Guards /admin/api with a bearer token from config (`xapi.adminToken`, env YARDSTICK_ADMIN_TOKEN)
 * until admin sessions exist. An empty token disables the admin API. Replaceable: createApp takes
 * any `adminGuard` middleware.
 */
export function adminTokenGuard(token: string): RequestHandler {
  const expected = createHash('sha256').update(token).digest();
  return (req, _res, next) => {
    if (!token)
      return next(new ForbiddenError('The admin API is disabled; set YARDSTICK_ADMIN_TOKEN to enable it.'));
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match)
      return next(
        new UnauthenticatedError('The admin API needs "Authorization: Bearer <YARDSTICK_ADMIN_TOKEN>".'),
      );
    const given = createHash('sha256').update(match[1]!).digest();
    if (!timingSafeEqual(given, expected)) return next(new UnauthenticatedError('The admin token is wrong.'));
    next();
  };
}
