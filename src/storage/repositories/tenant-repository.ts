import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { mapDatabaseError } from '../db-errors.js';
import type { Tenant } from '../../tenants/model.js';

/** SQL for tenants. The tenant table is the one table not keyed by tenant_id: it defines it. */
export function createTenantRepository(db: Kysely<Database>) {
  const toTenant = (r: { id: string; name: string; created_at: Date }): Tenant => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
  });
  return {
    async insert(name: string): Promise<Tenant> {
      try {
        const row = await db.insertInto('tenant').values({ name }).returningAll().executeTakeFirstOrThrow();
        return toTenant(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },
    async list(): Promise<Tenant[]> {
      const rows = await db.selectFrom('tenant').selectAll().orderBy('created_at').orderBy('name').execute();
      return rows.map(toTenant);
    },
    async findByName(name: string): Promise<Tenant | undefined> {
      const row = await db
        .selectFrom('tenant')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
        .executeTakeFirst();
      return row && toTenant(row);
    },
    async findById(id: string): Promise<Tenant | undefined> {
      const row = await db.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toTenant(row);
    },
  };
}

export type TenantRepository = ReturnType<typeof createTenantRepository>;
