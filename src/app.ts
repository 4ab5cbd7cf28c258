import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import { engine } from 'express-handlebars';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';
import type { DatabaseInfo } from './web/presenters/home-presenter.js';
import { requestLogger } from './web/middleware/request-logger.js';
import { errorHandler, notFoundHandler } from './web/middleware/error-handler.js';
import { healthRoutes } from './web/routes/health/health-routes.js';
import { homeRoutes } from './web/routes/health/home-routes.js';
import { helpers } from './web/view-helpers.js';
import { xapiRouter } from './web/routes/xapi/index.js';
import { lrsCredentialAdminRoutes } from './web/routes/admin/lrs-credential-api-routes.js';
import { adminGuard } from './web/middleware/admin-guard.js';
import { programPages, type PageAccess } from './web/routes/programs/program-pages.js';
import { lrsCredentialPages } from './web/routes/admin/lrs-credential-pages.js';
import { outcomeRoutes } from './web/routes/admin/outcome-api-routes.js';
import type { LtijsProvider } from './lti/ltijs/ltijs-provider.js';
import { mountLti } from './web/routes/lti/mount-lti.js';
import { ltiAdminPageAccess } from './web/middleware/page-access.js';
import type { DevLms } from './dev/lms/dev-lms.js';
import { moduleAdminRoutes } from './web/routes/modules/module-api-routes.js';
import { cmi5Routes } from './web/routes/learn/cmi5-routes.js';
import { modulePages } from './web/routes/modules/module-pages.js';
import { programAdminPages } from './web/routes/programs/program-admin-pages.js';

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  services: Services;
  database: DatabaseInfo;
  /** Guards /admin/api; default: the bearer token of config admin.token (YARDSTICK_ADMIN_TOKEN). */
  adminGuard?: RequestHandler;
  /** Who may see admin pages and for which tenant; admin pages are not mounted without it. */
  adminPages?: PageAccess;
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
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(root, 'views/layouts'),
      partialsDir: path.join(root, 'views/partials'),
      helpers,
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', path.join(root, 'views'));

  const adminApiGuard = deps.adminGuard ?? adminGuard({ token: deps.config.admin.token });

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
      statementLimits: {
        maxStatements: deps.config.xapi.maxStatementsPerRequest,
        maxStatementBytes: deps.config.xapi.maxStatementBytes,
      },
      cursorSecret: deps.config.xapi.cursorSecret,
      unversionedResponseVersion: deps.config.xapi.unversionedResponseVersion,
    }),
  );
  // cmi5 fetch URL for external content (issue #6)
  app.use(cmi5Routes({ cmi5: deps.services.learning.cmi5 }));
  app.use(
    lrsCredentialAdminRoutes({
      credentials: deps.services.lrsCredentials,
      guard: adminApiGuard,
      publicUrl: deps.config.server.publicUrl,
    }),
  );
  app.use(
    outcomeRoutes({
      guard: adminApiGuard,
      bodyLimitBytes: deps.config.server.bodyLimitBytes,
      tenants: deps.services.tenants,
      outcomeImports: deps.services.outcomeImports,
      peopleImports: deps.services.peopleImports,
    }),
  );
  // Module authoring API (issue #6)
  app.use(
    moduleAdminRoutes({
      modules: deps.services.modules,
      experiments: deps.services.moduleExperiments,
      tenants: deps.services.tenants,
      guard: adminApiGuard,
      bodyLimitBytes: deps.config.server.bodyLimitBytes,
    }),
  );

  const adminPages = deps.adminPages ?? (deps.lti ? ltiAdminPageAccess(deps.services) : undefined);
  if (adminPages) {
    // Program setup, imports, snapshots and board summary (issue #8); before /admin/programs/:programId
    app.use(programAdminPages({ services: deps.services, access: adminPages, config: deps.config }));
    app.use(programPages({ services: deps.services, access: adminPages }));
    app.use(
      lrsCredentialPages({
        services: deps.services,
        access: adminPages,
        publicUrl: deps.config.server.publicUrl,
      }),
    );
    // Module authoring pages (issue #6)
    app.use(
      modulePages({
        services: deps.services,
        access: adminPages,
        publicUrl: deps.config.server.publicUrl,
        bodyLimitBytes: deps.config.server.bodyLimitBytes,
      }),
    );
  }
  if (deps.lti)
    mountLti(app, { config: deps.config, services: deps.services, lti: deps.lti, devLms: deps.devLms });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
