import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { TenantRepository } from '../storage/repositories/tenant-repository.js';
import type { Tenant } from './model.js';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;

export interface TenantService {
  create(name: string): Promise<Tenant>;
  list(): Promise<Tenant[]>;
  /** Finds a tenant by name (case-insensitive) or throws NotFoundError saying how to list them. */
  getByName(name: string): Promise<Tenant>;
  getById(id: string): Promise<Tenant>;
}

/** Tenants are customer organizations; every record Yardstick stores belongs to one. */
export function createTenantService(deps: { tenants: TenantRepository }): TenantService {
  return {
    async create(rawName) {
      const name = rawName.trim();
      if (!NAME_PATTERN.test(name)) {
        throw new ValidationError(
          `"${rawName}" is not a usable tenant name: use 1-100 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.`,
          [{ path: 'name', message: 'invalid tenant name' }],
        );
      }
      try {
        return await deps.tenants.insert(name);
      } catch (err) {
        if (err instanceof ConflictError) {
          throw new ConflictError(
            `A tenant named "${name}" already exists; pick another name or use the existing one.`,
          );
        }
        throw err;
      }
    },
    list: () => deps.tenants.list(),
    async getById(id) {
      const tenant = await deps.tenants.findById(id);
      if (!tenant)
        throw new NotFoundError(
          'Your organization is no longer registered in Yardstick; ask its administrator.',
        );
      return tenant;
    },
    async getByName(name) {
      const tenant = await deps.tenants.findByName(name.trim());
      if (!tenant)
        throw new NotFoundError(
          `There is no tenant named "${name}"; run 'npx yardstick tenant list' to see them.`,
        );
      return tenant;
    },
  };
}
