import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { withTransaction } from '../transaction.js';
import { mapDatabaseError } from '../db-errors.js';
import type { AnalystRole } from '../../reports/kpi/model.js';

/**
 * Login roles for analysts (migrations 0061, 0081): each is a member of `yardstick_analyst` and mapped to
 * one tenant; the `analytics` views return that tenant's rows only, and the login gets a connection limit
 * and capped session settings (docs/security.md, "Analyst SQL access"). Role names and passwords are DDL, so they are
 * passed as a quoted identifier and a quoted literal, never as text spliced in.
 */
export function createAnalystRoleRepository(db: Kysely<Database>) {
  return {
    async groupRoleExists(): Promise<boolean> {
      const { rows } = await sql<{ ok: boolean }>`
        SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') AS ok`.execute(db);
      return rows[0]!.ok;
    },

    async create(tenantId: string, roleName: string, password: string): Promise<AnalystRole> {
      try {
        return await withTransaction(db, async (trx) => {
          await sql`CREATE ROLE ${sql.id(roleName)} LOGIN PASSWORD ${sql.lit(password)} IN ROLE yardstick_analyst`.execute(
            trx,
          );
          await sql`ALTER ROLE ${sql.id(roleName)} SET search_path = analytics`.execute(trx);
          await sql`ALTER ROLE ${sql.id(roleName)} SET default_transaction_read_only = on`.execute(trx);
          // Connection limit and session caps (migration 0081); TEMPORARY again, since a database
          // cloned from a template starts with PUBLIC's default privileges.
          await sql`SELECT analytics_private.apply_analyst_limits(${roleName})`.execute(trx);
          await sql`SELECT analytics_private.revoke_public_temporary()`.execute(trx);
          const { rows } = await sql<{ role_name: string; tenant_id: string; created_at: Date }>`
            INSERT INTO analytics.analyst_role (role_name, tenant_id) VALUES (${roleName}, ${tenantId})
            RETURNING role_name, tenant_id, created_at`.execute(trx);
          const r = rows[0]!;
          return { roleName: r.role_name, tenantId: r.tenant_id, createdAt: r.created_at };
        });
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },

    async list(tenantId: string): Promise<AnalystRole[]> {
      const { rows } = await sql<{ role_name: string; tenant_id: string; created_at: Date }>`
        SELECT role_name, tenant_id, created_at FROM analytics.analyst_role
        WHERE tenant_id = ${tenantId} ORDER BY created_at`.execute(db);
      return rows.map((r) => ({ roleName: r.role_name, tenantId: r.tenant_id, createdAt: r.created_at }));
    },

    /** Drops the login role and its mapping; false when the tenant has no such role. */
    async drop(tenantId: string, roleName: string): Promise<boolean> {
      return withTransaction(db, async (trx) => {
        const { rows } = await sql<{ role_name: string }>`
          DELETE FROM analytics.analyst_role WHERE tenant_id = ${tenantId} AND role_name = ${roleName}
          RETURNING role_name`.execute(trx);
        if (!rows.length) return false;
        await sql`DROP ROLE IF EXISTS ${sql.id(roleName)}`.execute(trx);
        return true;
      });
    },
  };
}

export type AnalystRoleRepository = ReturnType<typeof createAnalystRoleRepository>;
