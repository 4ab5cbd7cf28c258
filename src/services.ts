import type { Kysely } from 'kysely';
import type { Database } from './storage/schema.js';
import { createTenantRepository } from './storage/repositories/tenant-repository.js';
import { createHealthRepository } from './storage/repositories/health-repository.js';
import { createTenantService, type TenantService } from './tenants/tenant-service.js';
import { createHealthService, type HealthService } from './health/health-service.js';
import { createLtiServices, type LtiServiceDeps, type LtiServices } from './lti/lti-services.js';

/** Every domain service, built once from the database; shared by the HTTP app and the CLI. */
export interface Services {
  tenants: TenantService;
  health: HealthService;
  lti: LtiServices;
}

export function createServices(deps: { db: Kysely<Database>; lti?: LtiServiceDeps }): Services {
  const tenantRepository = createTenantRepository(deps.db);
  const tenants = createTenantService({ tenants: tenantRepository });
  return {
    tenants,
    lti: createLtiServices(deps.db, tenants, deps.lti),
    health: createHealthService({ health: createHealthRepository(deps.db) }),
  };
}
