import type { Kysely } from 'kysely';
import type { Database } from './storage/schema.js';
import { createTenantRepository } from './storage/repositories/tenant-repository.js';
import { createHealthRepository } from './storage/repositories/health-repository.js';
import { createTenantService, type TenantService } from './tenants/tenant-service.js';
import { createHealthService, type HealthService } from './health/health-service.js';
import { createProgramRepository } from './storage/repositories/program-repository.js';
import { createCohortRepository } from './storage/repositories/cohort-repository.js';
import { createProgramService, type ProgramService } from './cohorts/program-service.js';
import { createCohortService, type CohortService } from './cohorts/cohort-service.js';
import {
  createDesignAnalysisService,
  type DesignAnalysisService,
} from './cohorts/design-analysis-service.js';
import { createProgramEconomicsRepository } from './storage/repositories/program-economics-repository.js';
import {
  createProgramEconomicsService,
  type ProgramEconomicsService,
} from './cohorts/program-economics-service.js';
import {
  createProgramRoiReportService,
  type ProgramRoiReportService,
} from './reports/program-roi-report-service.js';
// outcomes (issue #8): lagging-outcome imports
import { createOutcomeImportRepository } from './storage/repositories/outcome-import-repository.js';
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
  outcomeImports: OutcomeImportService;
}

export function createServices(deps: { db: Kysely<Database> }): Services {
  const tenantRepository = createTenantRepository(deps.db);
  return {
    tenants: createTenantService({ tenants: tenantRepository }),
    health: createHealthService({ health: createHealthRepository(deps.db) }),
    ...cohortServices(deps.db),
    outcomeImports: createOutcomeImportService({ imports: createOutcomeImportRepository(deps.db) }),
  };
}

function cohortServices(db: Kysely<Database>) {
  const programs = createProgramRepository(db);
  const cohorts = createCohortRepository(db);
  return {
    programs: createProgramService({ programs }),
    cohorts: createCohortService({ db, programs, cohorts }),
    designAnalysis: createDesignAnalysisService({ cohorts }),
    ...economicsServices(db),
  };
}

function economicsServices(db: Kysely<Database>) {
  const economics = createProgramEconomicsRepository(db);
  return {
    economics: createProgramEconomicsService({ economics }),
    roiReports: createProgramRoiReportService({ economics }),
  };
}
