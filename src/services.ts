import type { Kysely } from 'kysely';
import type { Database } from './storage/schema.js';
import { createTenantRepository } from './storage/repositories/tenant-repository.js';
import { createHealthRepository } from './storage/repositories/health-repository.js';
import { createTenantService, type TenantService } from './tenants/tenant-service.js';
import { createHealthService, type HealthService } from './health/health-service.js';

/** Every domain service, built once from the database; shared by the HTTP app and the CLI. */
export interface Services {
  tenants: TenantService;
  health: HealthService;
}

export function createServices(deps: { db: Kysely<Database> }): Services {
  const tenantRepository = createTenantRepository(deps.db);
  return {
    tenants: createTenantService({ tenants: tenantRepository }),
    health: createHealthService({ health: createHealthRepository(deps.db) }),
  };
}
