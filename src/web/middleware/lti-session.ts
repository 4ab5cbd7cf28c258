import type { RequestHandler, Response } from 'express';
import type { LaunchService } from '../../lti/launch/launch-service.js';
import type { LtiSession, RoleKind } from '../../lti/model.js';
import { LaunchError } from '../../lti/launch/launch-error.js';
import { ForbiddenError } from '../../errors.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { originsOf, setFrameAncestors } from './frame-ancestors.js';

/** The launch session of this request (set by requireLtiSession). */
export function sessionOf(res: Response): LtiSession {
  return res.locals.ltiSession as LtiSession;
}

/**
 * Requires the session cookie set by a launch, and one of `kinds`; the page may then be framed by
 * the launching platform only (frame-ancestors = its issuer and auth URL origins).
 */
export function requireLtiSession(
  deps: { launches: Pick<LaunchService, 'findSession'>; frameOrigins: (s: LtiSession) => Promise<string[]> },
  kinds: RoleKind[],
): RequestHandler {
  return (req, res, next) => {
    deps.launches
      .findSession(readCookie(req, SESSION_COOKIE))
      .then(async (session) => {
        if (!session) throw new LaunchError('session_expired');
        setFrameAncestors(res, originsOf(await deps.frameOrigins(session)));
        if (!kinds.includes(session.roleKind)) {
          throw new ForbiddenError(
            `This page is for ${kinds.join(' or ')} roles; you launched as ${session.roleKind}. Open it from the LMS with the right role.`,
          );
        }
        res.locals.ltiSession = session;
        next();
      })
      .catch(next);
  };
}
