import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
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
import { xapiRouter } from './web/routes/xapi/index.js';
import { lrsCredentialAdminRoutes } from './web/routes/admin/lrs-credential-routes.js';
import { adminTokenGuard } from './web/middleware/admin-guard.js';

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  services: Services;
  database: DatabaseInfo;
  /** Guards /admin/api; default: the bearer token of config xapi.adminToken. */
  adminGuard?: RequestHandler;
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
  // xAPI LRS (issue #4)
  app.use(
    '/xapi',
    xapiRouter({
      credentials: deps.services.lrsCredentials,
      statements: deps.services.xapiStatements,
      documents: deps.services.xapiDocuments,
      activities: deps.services.xapiActivities,
      bodyLimitBytes: deps.config.xapi.bodyLimitBytes,
      unversionedResponseVersion: deps.config.xapi.unversionedResponseVersion,
    }),
  );
  app.use(
    lrsCredentialAdminRoutes({
      credentials: deps.services.lrsCredentials,
      guard: deps.adminGuard ?? adminTokenGuard(deps.config.xapi.adminToken),
      publicUrl: deps.config.server.publicUrl,
    }),
  );

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
