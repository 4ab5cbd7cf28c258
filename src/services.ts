import type { Kysely } from 'kysely';
import type { Database } from './storage/schema.js';
import { createTenantRepository } from './storage/repositories/tenant-repository.js';
import { createHealthRepository } from './storage/repositories/health-repository.js';
import { createProgramRepository } from './storage/repositories/program-repository.js';
import { createCohortRepository } from './storage/repositories/cohort-repository.js';
import { createProgramEconomicsRepository } from './storage/repositories/program-economics-repository.js';
import { createOutcomeImportRepository } from './storage/repositories/outcome-import-repository.js';
import { createOutcomeMetricsRepository } from './storage/repositories/outcome-metrics-repository.js';
import { createTenantService, type TenantService } from './tenants/tenant-service.js';
import { createHealthService, type HealthService } from './health/health-service.js';
import { createProgramService, type ProgramService } from './cohorts/program-service.js';
import { createCohortService, type CohortService } from './cohorts/cohort-service.js';
import {
  createDesignAnalysisService,
  type DesignAnalysisService,
} from './cohorts/design-analysis-service.js';
import {
  createProgramEconomicsService,
  type ProgramEconomicsService,
} from './cohorts/program-economics-service.js';
import {
  createProgramRoiReportService,
  type ProgramRoiReportService,
} from './reports/program-roi-report-service.js';
import { createAttributionService, type AttributionService } from './reports/attribution-service.js';
import { createOutcomeImportService, type OutcomeImportService } from './outcomes/outcome-import-service.js';
import { createLrsCredentialRepository } from './storage/repositories/lrs-credential-repository.js';
import { createXapiStatementRepository } from './storage/repositories/xapi-statement-repository.js';
import { createXapiDocumentRepository } from './storage/repositories/xapi-document-repository.js';
import {
  createLrsCredentialService,
  type LrsCredentialService,
} from './xapi/credentials/credential-service.js';
import {
  createStatementService,
  type GroupCommitOptions,
  type StatementService,
} from './xapi/statements/statement-service.js';
import { createDocumentService, type DocumentService } from './xapi/documents/document-service.js';
import { createActivityService, type ActivityService } from './xapi/statements/activity-service.js';
import { createPersonRepository } from './storage/repositories/person-repository.js';
import { createPeopleImportService, type PeopleImportService } from './outcomes/people-import-service.js';
import { createLtiServices, type LtiServiceDeps, type LtiServices } from './lti/lti-services.js';
import { createModuleRepository } from './storage/repositories/module-repository.js';
import {
  createModuleAuthoringService,
  type ModuleAuthoringService,
} from './learning/authoring/module-authoring-service.js';
import { createModuleExperimentRepository } from './storage/repositories/module-experiment-repository.js';
import {
  createModuleExperimentService,
  type ModuleExperimentService,
} from './learning/experiments/module-experiment-service.js';
import { experimentArms } from './learning/flow/choose-version.js';
import { createLearningServices, type LearningServices } from './learning/flow/learning-services.js';
import type { LearningSettings } from './learning/flow/learner-flow-service.js';
import { withLaunchTokens } from './learning/flow/cmi5-launch-service.js';
import { withAuSessions } from './learning/cmi5/au-session-service.js';
import {
  createContentPackageService,
  type ContentPackageService,
} from './learning/cmi5/content-package-service.js';
import type { PackageLimits } from './learning/cmi5/package-limits.js';
import { createContentPackageRepository } from './storage/repositories/content-package-repository.js';
import { createProgramForecastRepository } from './storage/repositories/program-forecast-repository.js';
import {
  createProgramForecastService,
  type ProgramForecastService,
} from './reports/program-forecast-service.js';
import {
  createProgramRefreshService,
  type ProgramRefreshService,
} from './reports/program-refresh-service.js';
import { createKpiRepository } from './storage/repositories/kpi-repository.js';
import { createKpiOutboxRepository, OUTBOX_PARTS } from './storage/repositories/kpi-outbox-repository.js';
import { createKpiFactDrainer, type KpiFactDrainer } from './reports/kpi/kpi-fact-drainer.js';
import {
  createKpiReportService,
  PRIMARY_SOURCE,
  type ReportSourceStatus,
  type KpiReportService,
  type KpiSettings,
} from './reports/kpi/kpi-report-service.js';
import { DEFAULT_KPI_SETTINGS } from './reports/kpi/kpi-settings.js';
import { guardSmallCells } from './reports/kpi/small-cell-guard.js';
import { createSmallCellRepository } from './storage/repositories/small-cell-repository.js';
import { createAnalystRoleRepository } from './storage/repositories/analyst-role-repository.js';
import {
  createAnalystAccessService,
  type AnalystAccessService,
} from './reports/kpi/analyst-access-service.js';
import { createChartCacheService, type ChartCacheService } from './reports/charts/chart-cache.js';
import { createChartCacheRepository } from './storage/repositories/chart-cache-repository.js';
import { createPersonDataService, type PersonDataService } from './privacy/person-data-service.js';
import { createPersonDataRepository } from './storage/repositories/person-data-repository.js';
import { createPrivacyRequestRepository } from './storage/repositories/privacy-request-repository.js';
import { createRetentionService, type RetentionService } from './privacy/retention-service.js';
import { createRetentionRepository } from './storage/repositories/retention-repository.js';
import type { ChartModel, RenderedChart } from './reports/charts/chart-model.js';

/** Every domain service, built once from the database; shared by the HTTP app and the CLI. */
export interface Services {
  tenants: TenantService;
  health: HealthService;
  programs: ProgramService;
  cohorts: CohortService;
  designAnalysis: DesignAnalysisService;
  economics: ProgramEconomicsService;
  roiReports: ProgramRoiReportService;
  attribution: AttributionService;
  outcomeImports: OutcomeImportService;
  lrsCredentials: LrsCredentialService;
  xapiStatements: StatementService;
  xapiDocuments: DocumentService;
  xapiActivities: ActivityService;
  peopleImports: PeopleImportService;
  lti: LtiServices;
  modules: ModuleAuthoringService;
  /** cmi5 content packages (issue #19): import, and the files they serve. */
  contentPackages: ContentPackageService;
  moduleExperiments: ModuleExperimentService;
  learning: LearningServices;
  forecasts: ProgramForecastService;
  programRefresh: ProgramRefreshService;
  kpiReports: KpiReportService;
  /** The KPI capture outbox's drainer (issue #17): facts and rollups follow stores outside the request. */
  kpiFacts: KpiFactDrainer;
  analystAccess: AnalystAccessService;
  /** Rendered charts cached by model hash (issue #7, report speed). */
  chartCache: ChartCacheService;
  /** One person's data: find, export, erase (issue #18, docs/privacy.md). */
  privacy: PersonDataService;
  /** Retention periods, their sweep, and tenant deletion (issue #18, docs/privacy.md). */
  retention: RetentionService;
}

/** Where KPI reports read (a replica, or the primary) and their settings (config `reports`). */
export interface ReportDeps {
  db?: Kysely<Database>;
  /** Where report queries go right now (a replica may fall back to the primary). */
  source?: () => ReportSourceStatus;
  settings?: KpiSettings;
  /** Draws a chart (a worker-thread pool in the server); default `renderChart` in this thread. */
  renderChart?: (chart: ChartModel) => Promise<RenderedChart>;
}

export function createServices(deps: {
  db: Kysely<Database>;
  /**
   * The owner's connection (migrations' role), for the DDL of analyst roles (CREATE ROLE, GRANT),
   * which the runtime role may not run; `db` when absent (tests, single-role deployments).
   */
  ownerDb?: Kysely<Database>;
  lti?: LtiServiceDeps;
  learning?: LearningSettings;
  reports?: ReportDeps;
  /** Limits of imported content packages; DEFAULT_PACKAGE_LIMITS when absent. */
  contentPackageLimits?: PackageLimits;
  /** Group commit of small xAPI writes; false commits each request alone. Default on. */
  statementGroupCommit?: GroupCommitOptions | false;
  /** A background KPI capture drain failed (the next drain retries its statements). */
  onKpiDrainError?: (err: unknown) => void;
}): Services {
  const { db } = deps;
  const tenants = createTenantService({ tenants: createTenantRepository(db) });
  const programs = createProgramRepository(db);
  const cohorts = createCohortRepository(db);
  const economics = createProgramEconomicsRepository(db);
  const xapiStatementRepository = createXapiStatementRepository(db);
  // KPI capture off the ingest path (issue #17): stores note statements in an outbox, drained here.
  const kpiFacts = createKpiFactDrainer({
    outbox: createKpiOutboxRepository(db),
    parts: OUTBOX_PARTS,
    onError: deps.onKpiDrainError,
  });
  const xapiStatements = createStatementService({
    db,
    statements: xapiStatementRepository,
    groupCommit: deps.statementGroupCommit,
    afterStore: (tenantId) => kpiFacts.poke(tenantId),
  });
  const lti = createLtiServices(db, tenants, deps.lti);
  const xapiDocuments = createDocumentService({ documents: createXapiDocumentRepository(db) });
  const moduleExperiments = createModuleExperimentService({
    modules: createModuleRepository(db),
    experiments: createModuleExperimentRepository(db),
  });
  const learning = createLearningServices({
    db,
    statements: xapiStatements,
    documents: xapiDocuments,
    lti,
    settings: deps.learning,
    chooseVersion: experimentArms(moduleExperiments),
  });
  const attribution = createAttributionService({
    cohorts,
    economics,
    metrics: createOutcomeMetricsRepository(db),
  });
  // Rolling forecasts (issue #8): re-estimated whenever an outcome import is accepted.
  const forecastRepository = createProgramForecastRepository(db);
  const forecasts = createProgramForecastService({
    programs,
    economics,
    forecasts: forecastRepository,
    attribution,
  });
  const roiReports = createProgramRoiReportService({
    economics,
    latestOutcomeDate: forecastRepository.latestOutcomeDate,
  });
  return {
    tenants,
    health: createHealthService({ health: createHealthRepository(db) }),
    // xAPI LRS (issue #4)
    // cmi5 launch tokens of external content (issue #6) authenticate like credentials.
    lrsCredentials: withLaunchTokens(
      createLrsCredentialService({ credentials: createLrsCredentialRepository(db), tenants }),
      learning.cmi5,
    ),
    // Statements of a cmi5 package's AUs keep the cmi5 session rules and bring the LMS's satisfied (issue #19).
    xapiStatements: withAuSessions(xapiStatements, learning.auSessions),
    xapiDocuments,
    xapiActivities: createActivityService({ statements: xapiStatementRepository }),
    // Pilot programs, outcomes, attribution and ROI (issue #8)
    programs: createProgramService({ programs }),
    cohorts: createCohortService({ db, programs, cohorts }),
    designAnalysis: createDesignAnalysisService({ cohorts }),
    economics: createProgramEconomicsService({ economics }),
    roiReports,
    attribution,
    outcomeImports: createOutcomeImportService({
      imports: createOutcomeImportRepository(db),
      afterAccept: async (tenantId, imp) => void (await forecasts.afterImport(tenantId, imp)),
      erased: createPrivacyRequestRepository(db),
    }),
    peopleImports: createPeopleImportService({
      people: createPersonRepository(db),
      erased: createPrivacyRequestRepository(db),
    }),
    // LTI 1.3 (issue #5)
    lti,
    // Learner module authoring (issue #6)
    modules: createModuleAuthoringService({ db, modules: createModuleRepository(db), programs }),
    // cmi5 content packages (issue #19)
    contentPackages: createContentPackageService({
      db,
      modules: createModuleRepository(db),
      packages: createContentPackageRepository(db),
      limits: deps.contentPackageLimits,
    }),
    // Content A/B experiments (issue #8); the learner flow asks them which version a learner gets
    moduleExperiments,
    // Learner modules (issue #6)
    learning,
    // Rolling forecasts and scheduled refresh (issue #8)
    forecasts,
    programRefresh: createProgramRefreshService({ tenants, programs, roiReports, forecasts }),
    // KPI reports (issue #7)
    // Every group a report shows held to the privacy minimum, and differencing withheld (issue #18)
    kpiReports: guardSmallCells(
      createKpiReportService({
        kpis: createKpiRepository(deps.reports?.db ?? db),
        source: deps.reports?.source ?? PRIMARY_SOURCE,
        settings: deps.reports?.settings ?? DEFAULT_KPI_SETTINGS,
        facts: kpiFacts,
      }),
      {
        facts: createSmallCellRepository(deps.reports?.db ?? db),
        minimumGroupSize: (deps.reports?.settings ?? DEFAULT_KPI_SETTINGS).minimumGroupSize,
      },
    ),
    kpiFacts,
    analystAccess: createAnalystAccessService({
      roles: createAnalystRoleRepository(deps.ownerDb ?? db),
      tenants,
    }),
    // Chart rendering cache (issue #7, report speed); the primary database, never the replica
    chartCache: createChartCacheService({
      cache: createChartCacheRepository(db),
      render: deps.reports?.renderChart,
    }),
    privacy: createPersonDataService({
      data: createPersonDataRepository(db),
      requests: createPrivacyRequestRepository(db),
    }),
    retention: createRetentionService({ retention: createRetentionRepository(db) }),
  };
}
