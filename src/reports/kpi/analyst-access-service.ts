import { randomBytes } from 'node:crypto';
import { NotFoundError, PreconditionFailedError } from '../../errors.js';
import type { AnalystRoleRepository } from '../../storage/repositories/analyst-role-repository.js';
import type { TenantService } from '../../tenants/tenant-service.js';
import type { AnalystRole } from './model.js';

export interface AnalystAccessService {
  /** A new read-only login role confined to the tenant; the password is returned once. */
  create(tenantName: string): Promise<AnalystRole & { password: string }>;
  list(tenantName: string): Promise<AnalystRole[]>;
  revoke(tenantName: string, roleName: string): Promise<void>;
}

/**
 * Database logins for analysts who prefer their own SQL: each sees the `analytics` views of one tenant
 * only (SECURITY DEFINER functions, migration 0081; docs/security.md) and can write nothing.
 */
export function createAnalystAccessService(deps: {
  roles: AnalystRoleRepository;
  tenants: TenantService;
}): AnalystAccessService {
  return {
    async create(tenantName) {
      if (!(await deps.roles.groupRoleExists())) {
        throw new PreconditionFailedError(
          'The database has no yardstick_analyst role: migrations ran as a user that cannot create roles. Create it (CREATE ROLE yardstick_analyst NOLOGIN) and rerun migration 0061, see docs/kpi-reports.md.',
        );
      }
      const tenant = await deps.tenants.getByName(tenantName);
      const roleName = `yardstick_analyst_${randomBytes(5).toString('hex')}`;
      const password = randomBytes(18).toString('base64url');
      const role = await deps.roles.create(tenant.id, roleName, password);
      return { ...role, password };
    },
    async list(tenantName) {
      const tenant = await deps.tenants.getByName(tenantName);
      return deps.roles.list(tenant.id);
    },
    async revoke(tenantName, roleName) {
      const tenant = await deps.tenants.getByName(tenantName);
      if (!(await deps.roles.drop(tenant.id, roleName))) {
        throw new NotFoundError(
          `Tenant "${tenantName}" has no analyst role ${roleName}; list them with 'npx yardstick analyst-roles list'.`,
        );
      }
    },
  };
}
