import type { Router } from 'express';
import type { AppConfig } from '../../../config.js';
import type { LtijsProvider } from '../../../lti/ltijs/ltijs-provider.js';
import type { LaunchService } from '../../../lti/launch/launch-service.js';
import { ltiRoutes } from './lti-routes.js';
import { toolUrls, type PlatformService } from '../../../lti/platforms/platform-service.js';
import { registerDynamically } from '../../../lti/registration/dynamic-registration.js';
import type { RegistrationTokenService } from '../../../lti/registration/registration-token-service.js';
import { createGuardedFetch } from '../../../lti/outbound/guarded-fetch.js';
import { DEFAULT_OUTBOUND_POLICY } from '../../../lti/outbound/address-guard.js';
import type { SessionTokenService } from '../../../lti/launch/session-token-service.js';

/** What the /lti endpoints use. */
export interface LtiEndpointDeps {
  config: AppConfig;
  lti: LtijsProvider;
  launches: LaunchService;
  platforms: PlatformService;
  registrationTokens: Pick<RegistrationTokenService, 'spend'>;
  sessionTokens: Pick<SessionTokenService, 'issue'>;
}

/**
 * The LTI endpoints under /lti (login, launch, keyset, dynamic registration; ltijs inside), wired from
 * config and the LTI services. Public: the LMS reaches them without a Yardstick session.
 */
export function ltiEndpoints(deps: LtiEndpointDeps): Router {
  const { lti: settings } = deps.config;
  const fetch = createGuardedFetch({
    ...DEFAULT_OUTBOUND_POLICY,
    allowPrivateNetwork: settings.allowPrivateNetworkFetch,
  });
  return ltiRoutes({
    lti: deps.lti,
    launches: deps.launches,
    keyset: () => deps.platforms.keyset(),
    register: async (q) =>
      registerDynamically({
        platforms: deps.platforms,
        fetch,
        tool: toolUrls(deps.config.server.publicUrl),
        publicUrl: deps.config.server.publicUrl,
        tenant: (await deps.registrationTokens.spend(q.yardstickToken)).name,
        openidConfigurationUrl: q.openidConfiguration,
        registrationToken: q.registrationToken,
      }),
    publicUrl: deps.config.server.publicUrl,
    ltijsKey: settings.key,
    sessionTokens: deps.sessionTokens,
    cookie: {
      sameSite: settings.cookieSameSite,
      secure: settings.cookieSecure,
      partitioned: settings.cookiePartitioned,
      sessionHours: settings.sessionHours,
    },
  });
}
