import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../../errors.js';
import type { LrsCredentialService, LrsPrincipal } from '../../xapi/credentials/credential-service.js';
import { allows, type LrsPermission } from '../../xapi/credentials/scopes.js';
import { route } from '../async-route.js';

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
 */
export function lrsBasicAuth(
  credentials: LrsCredentialService,
  options: { skip?: (req: Request) => boolean } = {},
): RequestHandler {
  return route(async (req, res, next) => {
    if (options.skip?.(req)) return next();
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header);
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 1) {
      res.set('WWW-Authenticate', 'Basic realm="Yardstick LRS", charset="UTF-8"');
      throw new UnauthenticatedError(
        'This LRS needs HTTP Basic credentials (Authorization: Basic base64(key:secret)); ask an admin for an LRS key and secret.',
      );
    }
    try {
      res.locals.lrsPrincipal = await credentials.authenticate(
        decoded.slice(0, colon),
        decoded.slice(colon + 1),
      );
    } catch (err) {
      res.set('WWW-Authenticate', 'Basic realm="Yardstick LRS", charset="UTF-8"');
      throw err;
    }
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
