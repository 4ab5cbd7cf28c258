import type { RequestHandler } from 'express';
import type { LaunchService } from '../../lti/launch/launch-service.js';
import type { PlatformService } from '../../lti/platforms/platform-service.js';
import type { SessionTokenService } from '../../lti/launch/session-token-service.js';
import type { LtiSession } from '../../lti/model.js';
import type { RoleKind } from '../../lti/model.js';
import type { PageAccess } from '../routes/programs/program-pages.js';
import { requireLtiSession, sessionOf } from './lti-session.js';

/** A page guard for the given role kinds (see ltiPageGuards); what LTI pages take instead of services. */
export type PageGuard = (...kinds: RoleKind[]) => RequestHandler;

export interface LtiPageGuardDeps {
  launches: Pick<LaunchService, 'findSession'>;
  sessionTokens: Pick<SessionTokenService, 'issue' | 'resolve'>;
  platforms: Pick<PlatformService, 'get'>;
}

/**
 * Guards that require a launch session with one of `kinds`; the page may then be framed only by the
 * launching platform (its issuer and auth URL origins).
 */
export function ltiPageGuards(deps: LtiPageGuardDeps): PageGuard {
  const frameOrigins = async (s: LtiSession) => {
    const p = await deps.platforms.get(s.tenantId, s.platformId);
    return [p.issuer, p.authUrl];
  };
  return (...kinds) =>
    requireLtiSession({ launches: deps.launches, sessionTokens: deps.sessionTokens, frameOrigins }, kinds);
}

/** Admin pages outside src/lti see an admin launch session as a guard and the session's tenant. */
export function ltiAdminPageAccess(guard: PageGuard): PageAccess {
  return { guard: guard('admin'), tenantId: (res) => sessionOf(res).tenantId };
}
