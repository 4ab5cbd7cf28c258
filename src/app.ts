import path from 'node:path';
import express, { type Express } from 'express';
import { engine } from 'express-handlebars';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';
import type { DatabaseInfo } from './web/presenters/home-presenter.js';
import { requestLogger } from './web/middleware/request-logger.js';
import { errorHandler, notFoundHandler } from './web/middleware/error-handler.js';
import { healthRoutes } from './web/routes/health-routes.js';
import { homeRoutes } from './web/routes/home-routes.js';
import { helpers } from './web/view-helpers.js';
import type { LtijsProvider } from './lti/ltijs/ltijs-provider.js';
import { mountLti } from './lti/web/mount-lti.js';
import type { DevLms } from './lti/dev-lms/dev-lms.js';

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  services: Services;
  database: DatabaseInfo;
  /** ltijs, set up once per process by openLti(); without it the LTI routes are not mounted. */
  lti?: LtijsProvider;
  /** The development LMS (development and test only), built by startDevLms(). */
  devLms?: DevLms;
}

const root = path.resolve(import.meta.dirname, '..');

/** Builds the express app: wires services into routers. Never listens, never connects. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.server.trustProxy);
  app.engine('hbs', engine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: path.join(root, 'views/layouts'), partialsDir: path.join(root, 'views/partials'), helpers }));
  app.set('view engine', 'hbs');
  app.set('views', path.join(root, 'views'));

  app.use(requestLogger(deps.logger));
  app.use('/static', express.static(path.join(root, 'public'), { maxAge: '1h' }));
  app.use(healthRoutes({ health: deps.services.health }));
  app.use(homeRoutes({ services: deps.services, database: deps.database }));
  if (deps.lti)
    mountLti(app, { config: deps.config, services: deps.services, lti: deps.lti, devLms: deps.devLms });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
