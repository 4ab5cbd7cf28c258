import type { RequestHandler } from 'express';
import type { Services } from '../../services.js';
import type { LtiSession, RoleKind } from '../../lti/model.js';
import type { PageAccess } from '../routes/programs/program-pages.js';
import { requireLtiSession, sessionOf } from './lti-session.js';

/**
 * Requires a launch session with one of `kinds`; the page may then be framed only by the launching
 * platform (its issuer and auth URL origins).
 */
export function ltiPageGuard(services: Services, kinds: RoleKind[]): RequestHandler {
  const frameOrigins = async (s: LtiSession) => {
    const p = await services.lti.platforms.get(s.tenantId, s.platformId);
    return [p.issuer, p.authUrl];
  };
  return requireLtiSession({ launches: services.lti.launches, frameOrigins }, kinds);
}

/** Admin pages outside src/lti see an admin launch session as a guard and the session's tenant. */
export function ltiAdminPageAccess(services: Services): PageAccess {
  return { guard: ltiPageGuard(services, ['admin']), tenantId: (res) => sessionOf(res).tenantId };
}
