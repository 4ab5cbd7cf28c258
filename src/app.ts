import path from 'node:path';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { engine } from 'express-handlebars';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';
import type { DatabaseInfo } from './web/presenters/home-presenter.js';
import { requestLogger } from './web/middleware/request-logger.js';
import { errorHandler, notFoundHandler } from './web/middleware/error-handler.js';
import { healthRoutes } from './web/routes/health/health-routes.js';
import { drainingMiddleware, type Drain } from './web/middleware/draining.js';
import { homeRoutes } from './web/routes/health/home-routes.js';
import { helpers } from './web/view-helpers.js';
import { xapiRouter } from './web/routes/xapi/index.js';
import { lrsCredentialAdminRoutes } from './web/routes/admin/lrs-credential-api-routes.js';
import { adminGuard } from './web/middleware/admin-guard.js';
import { programPages, type PageAccess } from './web/routes/programs/program-pages.js';
import { lrsCredentialPages } from './web/routes/admin/lrs-credential-pages.js';
import { contentPackagePages } from './web/routes/admin/content-package-pages.js';
import { privacyPages } from './web/routes/admin/privacy-pages.js';
import { outcomeRoutes } from './web/routes/admin/outcome-api-routes.js';
import type { LtijsProvider } from './lti/ltijs/ltijs-provider.js';
import { findRequestSession } from './web/middleware/session-token.js';
import { ltiEndpoints } from './web/routes/lti/lti-endpoints.js';
import { ltiAdminPageAccess, ltiPageGuards, type PageGuard } from './web/middleware/page-access.js';
import { moduleAdminRoutes } from './web/routes/modules/module-api-routes.js';
import { cmi5Routes } from './web/routes/learn/cmi5-routes.js';
import { contentPackageRoutes } from './web/routes/learn/content-package-routes.js';
import { modulePages } from './web/routes/modules/module-pages.js';
import { programAdminPages } from './web/routes/programs/program-admin-pages.js';
import { rosterSyncPages } from './web/routes/lti/roster-sync-pages.js';
import { auWaiverPages } from './web/routes/learn/au-waiver-pages.js';
import { launchPages } from './web/routes/lti/launch-pages.js';
import { learnerPages } from './web/routes/learn/learner-pages.js';
import { kpiReportPages } from './web/routes/kpi/kpi-report-pages.js';
import { adminPlatformPages } from './web/routes/admin/platform-pages.js';
import { launchErrorHandler } from './web/routes/lti/launch-error-page.js';
import { toolUrls } from './lti/platforms/platform-service.js';
import { mountSessionRoutes } from './web/session-routes.js';

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
  /**
   * Public routers composition code adds (the development LMS in development and test), mounted after
   * the /lti endpoints and outside the session routes.
   */
  extraRouters?: Router[];
  /** Set when the process is shutting down (server.ts): /readyz fails and connections are not kept. */
  drain?: Drain;
}

const root = path.resolve(import.meta.dirname, '..');

/**
 * Builds the express app: wires services into routers and mounts them, here and in this order.
 * Public routes first (each authenticates its requests itself), then the pages a launch session's
 * cookie reaches, through mountSessionRoutes. Never listens, never connects.
 */
export function createApp(deps: AppDeps): Express {
  const { config, services: s } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trustProxy);
  useViews(app);

  const publicUrl = config.server.publicUrl;
  const adminApiGuard = deps.adminGuard ?? adminGuard({ token: config.admin.token });
  const guard: PageGuard | undefined = deps.lti ? ltiPageGuards(s.lti) : undefined;
  const adminPages = deps.adminPages ?? (guard ? ltiAdminPageAccess(guard) : undefined);

  app.use(requestLogger(deps.logger));
  if (deps.drain) app.use(drainingMiddleware(deps.drain));

  // Public routes: static files, health, the bare landing page, the xAPI LRS (Basic auth), cmi5 fetch
  // (its one-time token), cmi5 package files (sandboxed), the admin API (bearer token), the /lti
  // endpoints the LMS calls.
  app.use('/static', express.static(path.join(root, 'public'), { maxAge: '1h' }));
  app.use(healthRoutes({ health: s.health }));
  app.use(
    homeRoutes({
      tenants: s.tenants,
      database: deps.database,
      devLmsUrl: config.lti.devLms.enabled && deps.extraRouters?.length ? '/dev-lms' : undefined,
    }),
  );
  app.use(
    '/xapi',
    xapiRouter({
      credentials: s.lrsCredentials,
      statements: s.xapiStatements,
      documents: s.xapiDocuments,
      activities: s.xapiActivities,
      bodyLimitBytes: config.xapi.bodyLimitBytes,
      statementLimits: {
        maxStatements: config.xapi.maxStatementsPerRequest,
        maxStatementBytes: config.xapi.maxStatementBytes,
      },
      cursorSecret: config.xapi.cursorSecret,
      unversionedResponseVersion: config.xapi.unversionedResponseVersion,
    }),
  );
  app.use(cmi5Routes({ cmi5: s.learning.cmi5 }));
  // Files of imported cmi5 packages, sandboxed by their own headers (GET only, no session).
  app.use(contentPackageRoutes({ contentPackages: s.contentPackages }));
  app.use(lrsCredentialAdminRoutes({ credentials: s.lrsCredentials, guard: adminApiGuard, publicUrl }));
  app.use(
    outcomeRoutes({
      guard: adminApiGuard,
      bodyLimitBytes: config.server.bodyLimitBytes,
      tenants: s.tenants,
      outcomeImports: s.outcomeImports,
      peopleImports: s.peopleImports,
    }),
  );
  app.use(
    moduleAdminRoutes({
      modules: s.modules,
      experiments: s.moduleExperiments,
      tenants: s.tenants,
      guard: adminApiGuard,
      bodyLimitBytes: config.server.bodyLimitBytes,
    }),
  );
  if (deps.lti)
    app.use(
      ltiEndpoints({
        config,
        lti: deps.lti,
        launches: s.lti.launches,
        platforms: s.lti.platforms,
        registrationTokens: s.lti.registrationTokens,
        sessionTokens: s.lti.sessionTokens,
      }),
    );
  for (const router of deps.extraRouters ?? []) app.use(router);

  // Pages a launch session's cookie reaches (admin pages may be guarded otherwise in tests).
  const sessionRouters: Router[] = [];
  if (adminPages) {
    // Program setup, imports, snapshots and board summary (issue #8); before /admin/programs/:programId
    sessionRouters.push(
      programAdminPages({
        access: adminPages,
        publicUrl,
        programs: s.programs,
        cohorts: s.cohorts,
        designAnalysis: s.designAnalysis,
        economics: s.economics,
        attribution: s.attribution,
        roiReports: s.roiReports,
        forecasts: s.forecasts,
        kpiReports: s.kpiReports,
        chartCache: s.chartCache,
        tenants: s.tenants,
        outcomeImports: s.outcomeImports,
      }),
      programPages({
        access: adminPages,
        programs: s.programs,
        roiReports: s.roiReports,
        chartCache: s.chartCache,
        forecasts: s.forecasts,
      }),
      lrsCredentialPages({
        access: adminPages,
        publicUrl,
        tenants: s.tenants,
        lrsCredentials: s.lrsCredentials,
      }),
      // cmi5 package upload (issue #19)
      contentPackagePages({
        access: adminPages,
        contentPackages: s.contentPackages,
        maxUploadBytes: s.contentPackages.limits.maxTotalBytes,
      }),
      // A person's data and retention (issue #18)
      privacyPages({
        access: adminPages,
        privacy: s.privacy,
        retention: s.retention,
        sweepCron: config.privacy.retentionSweepCron,
      }),
      // Module authoring pages (issue #6)
      modulePages({
        access: adminPages,
        publicUrl,
        bodyLimitBytes: config.server.bodyLimitBytes,
        modules: s.modules,
        moduleExperiments: s.moduleExperiments,
        programs: s.programs,
      }),
    );
  }
  if (guard) {
    sessionRouters.push(
      launchPages({ guard, tenants: s.tenants, lti: s.lti, launchUrl: toolUrls(publicUrl).launchUrl }),
      rosterSyncPages({ guard, lti: s.lti }),
      learnerPages({ guard, learning: s.learning, publicUrl }),
      // Waivers of cmi5 AUs (issue #19, cmi5 9.3.7)
      auWaiverPages({ guard, waivers: s.learning.waivers }),
      // KPI reports (issue #7): the course report, learner progress, data quality, program KPIs.
      kpiReportPages({
        guard,
        kpiReports: s.kpiReports,
        chartCache: s.chartCache,
        courses: s.lti.courses,
        programs: s.programs,
        downloadLinks: s.lti.downloadLinks,
      }),
      adminPlatformPages({
        guard,
        tenants: s.tenants,
        platforms: s.lti.platforms,
        registrationTokens: s.lti.registrationTokens,
        publicUrl,
      }),
    );
  }
  mountSessionRoutes(app, sessionRouters, {
    publicUrl,
    csrfSecret: config.lti.key,
    findSession: deps.lti ? async (req) => (await findRequestSession(s.lti, req))?.session : undefined,
  });

  if (deps.lti) app.use(launchErrorHandler);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** Handlebars views from views/ with the layouts, partials and helpers every page shares. */
function useViews(app: Express): void {
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
}
