import type { Express } from 'express';
import type { AppConfig } from '../../config.js';
import type { Services } from '../../services.js';
import type { LtijsProvider } from '../ltijs/ltijs-provider.js';
import { ltiRoutes } from './lti-routes.js';
import { launchPages } from './launch-pages.js';
import { launchErrorHandler } from './launch-error-page.js';

/** Everything LTI on the app: /lti endpoints (ltijs inside), the pages launches land on. */
export function mountLti(
  app: Express,
  deps: { config: AppConfig; services: Services; lti: LtijsProvider },
): void {
  const { lti: settings } = deps.config;
  app.use(
    ltiRoutes({
      lti: deps.lti,
      launches: deps.services.lti.launches,
      cookie: {
        sameSite: settings.cookieSameSite,
        secure: settings.cookieSecure,
        sessionHours: settings.sessionHours,
      },
    }),
  );
  app.use(launchPages({ services: deps.services }));
  app.use(launchErrorHandler);
}
