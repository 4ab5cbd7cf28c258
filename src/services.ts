import type { Kysely } from 'kysely';
import type { Database } from './storage/schema.js';
import { createTenantRepository } from './storage/repositories/tenant-repository.js';
import { createHealthRepository } from './storage/repositories/health-repository.js';
import { createTenantService, type TenantService } from './tenants/tenant-service.js';
import { createHealthService, type HealthService } from './health/health-service.js';
import { createLrsCredentialRepository } from './storage/repositories/lrs-credential-repository.js';
import { createXapiStatementRepository } from './storage/repositories/xapi-statement-repository.js';
import { createXapiDocumentRepository } from './storage/repositories/xapi-document-repository.js';
import {
  createLrsCredentialService,
  type LrsCredentialService,
} from './xapi/credentials/credential-service.js';
import { createStatementService, type StatementService } from './xapi/statements/statement-service.js';
import { createDocumentService, type DocumentService } from './xapi/documents/document-service.js';
import { createActivityService, type ActivityService } from './xapi/statements/activity-service.js';

/** Every domain service, built once from the database; shared by the HTTP app and the CLI. */
export interface Services {
  tenants: TenantService;
  health: HealthService;
  lrsCredentials: LrsCredentialService;
  xapiStatements: StatementService;
  xapiDocuments: DocumentService;
  xapiActivities: ActivityService;
}

export function createServices(deps: { db: Kysely<Database> }): Services {
  const tenantRepository = createTenantRepository(deps.db);
  const tenants = createTenantService({ tenants: tenantRepository });
  // xAPI LRS (issue #4)
  const xapiStatementRepository = createXapiStatementRepository(deps.db);
  return {
    tenants,
    health: createHealthService({ health: createHealthRepository(deps.db) }),
    lrsCredentials: createLrsCredentialService({
      credentials: createLrsCredentialRepository(deps.db),
      tenants,
    }),
    xapiStatements: createStatementService({ db: deps.db, statements: xapiStatementRepository }),
    xapiDocuments: createDocumentService({ documents: createXapiDocumentRepository(deps.db) }),
    xapiActivities: createActivityService({ statements: xapiStatementRepository }),
  };
}
