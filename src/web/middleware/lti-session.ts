import type { RequestHandler, Response } from 'express';
import type { SessionTokenService } from '../../lti/launch/session-token-service.js';
import type { LtiSession, RoleKind } from '../../lti/model.js';
import { LaunchError } from '../../lti/launch/launch-error.js';
import { ForbiddenError } from '../../errors.js';
import { carryToken, findRequestSession, type SessionSources } from './session-token.js';
import { originsOf, setFrameAncestors } from './frame-ancestors.js';

/** The launch session of this request (set by requireLtiSession). */
export function sessionOf(res: Response): LtiSession {
  return res.locals.ltiSession as LtiSession;
}

/**
 * Requires the session set by a launch (its cookie, else its session token: src/web/middleware/
 * session-token.ts), and one of `kinds`; the page may then be framed by the launching platform only
 * (frame-ancestors = its issuer and auth URL origins). A session found by its token gets a fresh token
 * for the page's links and forms.
 */
export function requireLtiSession(
  deps: SessionSources & {
    sessionTokens: Pick<SessionTokenService, 'issue'>;
    frameOrigins: (s: LtiSession) => Promise<string[]>;
  },
  kinds: RoleKind[],
): RequestHandler {
  return (req, res, next) => {
    findRequestSession(deps, req)
      .then(async (found) => {
        if (!found) throw new LaunchError('session_expired');
        const { session } = found;
        if (found.viaToken) carryToken(res, deps.sessionTokens.issue(session));
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
