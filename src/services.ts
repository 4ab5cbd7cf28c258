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
}

export function createServices(deps: { db: Kysely<Database> }): Services {
  const { db } = deps;
  const programs = createProgramRepository(db);
  const cohorts = createCohortRepository(db);
  const economics = createProgramEconomicsRepository(db);
  return {
    tenants: createTenantService({ tenants: createTenantRepository(db) }),
    health: createHealthService({ health: createHealthRepository(db) }),
    programs: createProgramService({ programs }),
    cohorts: createCohortService({ db, programs, cohorts }),
    designAnalysis: createDesignAnalysisService({ cohorts }),
    economics: createProgramEconomicsService({ economics }),
    roiReports: createProgramRoiReportService({ economics }),
    attribution: createAttributionService({
      cohorts,
      economics,
      metrics: createOutcomeMetricsRepository(db),
    }),
    outcomeImports: createOutcomeImportService({ imports: createOutcomeImportRepository(db) }),
  };
}
