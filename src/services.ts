import type { Kysely } from 'kysely';
import type { Database } from './storage/schema.js';
import { createTenantRepository } from './storage/repositories/tenant-repository.js';
import { createHealthRepository } from './storage/repositories/health-repository.js';
import { createTenantService, type TenantService } from './tenants/tenant-service.js';
import { createHealthService, type HealthService } from './health/health-service.js';
// outcomes (issue #8): lagging-outcome imports
import { createOutcomeImportRepository } from './storage/repositories/outcome-import-repository.js';
import { createOutcomeImportService, type OutcomeImportService } from './outcomes/outcome-import-service.js';
import { createPersonRepository } from './storage/repositories/person-repository.js';
import { createPeopleImportService, type PeopleImportService } from './outcomes/people-import-service.js';

/** Every domain service, built once from the database; shared by the HTTP app and the CLI. */
export interface Services {
  tenants: TenantService;
  health: HealthService;
  outcomeImports: OutcomeImportService;
  peopleImports: PeopleImportService;
}

export function createServices(deps: { db: Kysely<Database> }): Services {
  const tenantRepository = createTenantRepository(deps.db);
  return {
    tenants: createTenantService({ tenants: tenantRepository }),
    health: createHealthService({ health: createHealthRepository(deps.db) }),
    outcomeImports: createOutcomeImportService({ imports: createOutcomeImportRepository(deps.db) }),
    peopleImports: createPeopleImportService({ people: createPersonRepository(deps.db) }),
  };
}
