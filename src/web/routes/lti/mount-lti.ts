import type { Express } from 'express';
import type { AppConfig } from '../../../config.js';
import type { Services } from '../../../services.js';
import type { LtijsProvider } from '../../../lti/ltijs/ltijs-provider.js';
import { ltiRoutes } from './lti-routes.js';
import { toolUrls } from '../../../lti/platforms/platform-service.js';
import { registerDynamically } from '../../../lti/registration/dynamic-registration.js';
import { createGuardedFetch } from '../../../lti/outbound/guarded-fetch.js';
import { DEFAULT_OUTBOUND_POLICY } from '../../../lti/outbound/address-guard.js';
import { adminPlatformPages } from '../admin/platform-pages.js';
import { launchPages } from './launch-pages.js';
import { kpiReportPages } from '../kpi/kpi-report-pages.js';
import { launchErrorHandler } from './launch-error-page.js';
import type { DevLms } from '../../../dev/lms/dev-lms.js';
import { devLmsRoutes } from '../../../dev/lms/dev-lms-routes.js';
import { learnerPages } from '../learn/learner-pages.js';

/** Everything LTI on the app: /lti endpoints (ltijs inside), the pages launches land on. */
export function mountLti(
  app: Express,
  deps: { config: AppConfig; services: Services; lti: LtijsProvider; devLms?: DevLms },
): void {
  const { lti: settings } = deps.config;
  const fetch = createGuardedFetch({
    ...DEFAULT_OUTBOUND_POLICY,
    allowPrivateNetwork: settings.allowPrivateNetworkFetch,
  });
  app.use(
    ltiRoutes({
      lti: deps.lti,
      launches: deps.services.lti.launches,
      keyset: () => deps.services.lti.platforms.keyset(),
      register: async (q) =>
        registerDynamically({
          platforms: deps.services.lti.platforms,
          fetch,
          tool: toolUrls(deps.config.server.publicUrl),
          publicUrl: deps.config.server.publicUrl,
          tenant: (await deps.services.lti.registrationTokens.spend(q.yardstickToken)).name,
          openidConfigurationUrl: q.openidConfiguration,
          registrationToken: q.registrationToken,
        }),
      cookie: {
        sameSite: settings.cookieSameSite,
        secure: settings.cookieSecure,
        partitioned: settings.cookiePartitioned,
        sessionHours: settings.sessionHours,
      },
    }),
  );
  app.use(
    launchPages({ services: deps.services, launchUrl: toolUrls(deps.config.server.publicUrl).launchUrl }),
  );
  app.use(learnerPages({ services: deps.services, publicUrl: deps.config.server.publicUrl }));
  // KPI reports (issue #7): the course report, learner progress, data quality, program KPIs.
  app.use(kpiReportPages({ services: deps.services }));
  app.use(adminPlatformPages({ services: deps.services, publicUrl: deps.config.server.publicUrl }));
  if (deps.devLms) app.use(devLmsRoutes(deps.devLms));
  app.use(launchErrorHandler);
}
