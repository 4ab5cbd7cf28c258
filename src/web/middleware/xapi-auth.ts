import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError, TooManyRequestsError, UnauthenticatedError } from '../../errors.js';
import {
  WRONG_KEY_OR_SECRET,
  type LrsCredentialService,
  type LrsPrincipal,
} from '../../xapi/credentials/credential-service.js';
import { allows, type LrsPermission } from '../../xapi/credentials/scopes.js';
import { route } from '../async-route.js';
import type { FailureLimiter } from './failure-limiter.js';

/** The authenticated LRS client of an xAPI request (set by {@link lrsBasicAuth}). */
export function principalOf(res: Response): LrsPrincipal {
  const principal = res.locals.lrsPrincipal as LrsPrincipal | undefined;
  if (!principal)
    throw new UnauthenticatedError('This xAPI request has no credentials; send HTTP Basic credentials.');
  return principal;
}

/**
 * HTTP Basic authentication with LRS credentials (xAPI Communication 4.1): the key is the user
 * name, the secret the password. The credential's tenant scopes everything the request touches.
 *
 * Brute force: wrong secrets count against the key and the client address in `limiter`; a locked
 * key or address is answered 429 with Retry-After before any scrypt work, except for a secret already
 * verified for that key (so an attacker who knows a public key cannot lock its real client out). A
 * key of a shape no credential has is refused at once and counted against neither key nor address.
 */
export function lrsBasicAuth(
  credentials: LrsCredentialService,
  limiter: FailureLimiter,
  options: { skip?: (req: Request, res: Response) => boolean } = {},
): RequestHandler {
  return route(async (req, res, next) => {
    if (options.skip?.(req, res)) return next();
    const header = req.headers.authorization ?? '';
    const match = /^(Basic|Bearer)\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header);
    const decoded = match ? Buffer.from(match[2]!, 'base64').toString('utf8') : '';
    // A cmi5 auth-token (cmi5 8.2) is base64(key:secret); some AUs send it as a Bearer token. Only launch
    // keys are accepted that way: LRS credentials stay Basic.
    const bearer = match?.[1]!.toLowerCase() === 'bearer';
    const colon = bearer && !decoded.startsWith('cmi5.') ? -1 : decoded.indexOf(':');
    if (colon < 1) {
      res.set('WWW-Authenticate', 'Basic realm="Yardstick LRS", charset="UTF-8"');
      throw new UnauthenticatedError(
        'This LRS needs HTTP Basic credentials (Authorization: Basic base64(key:secret)); ask an admin for an LRS key and secret.',
      );
    }
    const key = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (!credentials.isPossibleKey(key)) {
      // No credential has such a key, so nothing is guessed: 401 without scrypt, counted nowhere (the
      // conformance suite sends "RobCIsNot" on every run and expects 401 each time).
      res.set('WWW-Authenticate', 'Basic realm="Yardstick LRS", charset="UTF-8"');
      throw new UnauthenticatedError(WRONG_KEY_OR_SECRET);
    }
    const subjects = [`key:${key}`, `address:${req.ip ?? 'unknown'}`];
    const wait = await limiter.retryAfterSeconds(subjects);
    if (wait > 0 && !credentials.isKnownSecret(key, secret)) {
      throw new TooManyRequestsError(
        `Too many wrong LRS secrets for this key or from this address; wait ${wait} s, then send the right key and secret.`,
        wait,
      );
    }
    try {
      res.locals.lrsPrincipal = await credentials.authenticate(key, secret);
    } catch (err) {
      if (err instanceof UnauthenticatedError) await limiter.recordFailure(subjects);
      res.set('WWW-Authenticate', 'Basic realm="Yardstick LRS", charset="UTF-8"');
      throw err;
    }
    await limiter.recordSuccess(subjects[0]!);
    next();
  });
}

/** Requires a scope for the route (xAPI Communication 4.1 scopes); 403 names the scope missing. */
export function requireScope(permission: LrsPermission): RequestHandler {
  return (req, res, next) => {
    const write = !['GET', 'HEAD'].includes(req.method);
    if (allows(principalOf(res).scopes, permission, write)) return next();
    next(
      new ForbiddenError(
        `This LRS credential may not ${write ? 'write' : 'read'} ${permission.split('/')[0]} resources; ask an admin for a credential with the ${write ? permission : `${permission} or all/read`} scope.`,
      ),
    );
  };
}
