import type { Router } from 'express';
import type { AppConfig } from '../../../config.js';
import type { LtijsProvider } from '../../../lti/ltijs/ltijs-provider.js';
import type { LaunchService } from '../../../lti/launch/launch-service.js';
import { ltiRoutes } from './lti-routes.js';
import { toolUrls, type PlatformService } from '../../../lti/platforms/platform-service.js';
import { registerDynamically } from '../../../lti/registration/dynamic-registration.js';

/** What the /lti endpoints use. */
export interface LtiEndpointDeps {
  config: AppConfig;
  lti: LtijsProvider;
  launches: LaunchService;
  platforms: PlatformService;
}

/**
 * The LTI endpoints under /lti (login, launch, keyset, dynamic registration; ltijs inside), wired from
 * config and the LTI services. Public: the LMS reaches them without a Yardstick session.
 */
export function ltiEndpoints(deps: LtiEndpointDeps): Router {
  const { lti: settings } = deps.config;
  return ltiRoutes({
    lti: deps.lti,
    launches: deps.launches,
    keyset: () => deps.platforms.keyset(),
    register: (q) =>
      registerDynamically({
        platforms: deps.platforms,
        tool: toolUrls(deps.config.server.publicUrl),
        publicUrl: deps.config.server.publicUrl,
        tenant: q.tenant,
        openidConfigurationUrl: q.openidConfiguration,
        registrationToken: q.registrationToken,
      }),
    cookie: {
      sameSite: settings.cookieSameSite,
      secure: settings.cookieSecure,
      partitioned: settings.cookiePartitioned,
      sessionHours: settings.sessionHours,
    },
  });
}
