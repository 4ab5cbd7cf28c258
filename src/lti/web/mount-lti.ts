import type { Express } from 'express';
import type { AppConfig } from '../../config.js';
import type { Services } from '../../services.js';
import type { LtijsProvider } from '../ltijs/ltijs-provider.js';
import { ltiRoutes } from './lti-routes.js';
import { toolUrls } from '../platforms/platform-service.js';
import { launchPages } from './launch-pages.js';
import { launchErrorHandler } from './launch-error-page.js';
import type { DevLms } from '../dev-lms/dev-lms.js';
import { devLmsRoutes } from '../dev-lms/dev-lms-routes.js';

/** Everything LTI on the app: /lti endpoints (ltijs inside), the pages launches land on. */
export function mountLti(
  app: Express,
  deps: { config: AppConfig; services: Services; lti: LtijsProvider; devLms?: DevLms },
): void {
  const { lti: settings } = deps.config;
  app.use(
    ltiRoutes({
      lti: deps.lti,
      launches: deps.services.lti.launches,
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
  if (deps.devLms) app.use(devLmsRoutes(deps.devLms));
  app.use(launchErrorHandler);
}
