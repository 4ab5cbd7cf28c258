import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, LrsCredentialTable } from '../schema.js';
import { mapDatabaseError } from '../db-errors.js';
import type { LrsCredentialRow } from '../../xapi/model.js';

type Row = Selectable<LrsCredentialTable>;

const toRow = (r: Row): LrsCredentialRow => ({
  tenantId: r.tenant_id,
  id: r.id,
  key: r.key,
  secretHash: r.secret_hash,
  name: r.name,
  scopes: r.scopes,
  authority: r.authority,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** SQL for LRS credentials, always by tenant (a key carries its tenant's id). */
export function createLrsCredentialRepository(db: Kysely<Database>) {
  return {
    async insert(values: {
      tenantId: string;
      key: string;
      secretHash: string;
      name: string;
      scopes: string[];
      authority: string;
    }): Promise<LrsCredentialRow> {
      try {
        const row = await db
          .insertInto('lrs_credential')
          .values({
            tenant_id: values.tenantId,
            key: values.key,
            secret_hash: values.secretHash,
            name: values.name,
            scopes: values.scopes,
            authority: values.authority,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toRow(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },
    async findByKey(tenantId: string, key: string): Promise<LrsCredentialRow | undefined> {
      const row = await db
        .selectFrom('lrs_credential')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row && toRow(row);
    },
    async listForTenant(tenantId: string): Promise<LrsCredentialRow[]> {
      const rows = await db
        .selectFrom('lrs_credential')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return rows.map(toRow);
    },
    /** Marks the credential revoked; returns it, or undefined when the key is unknown. */
    async revoke(tenantId: string, key: string): Promise<LrsCredentialRow | undefined> {
      const row = await db
        .updateTable('lrs_credential')
        .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
        .where('tenant_id', '=', tenantId)
        .where('key', '=', key)
        .returningAll()
        .executeTakeFirst();
      return row && toRow(row);
    },
  };
}

export type LrsCredentialRepository = ReturnType<typeof createLrsCredentialRepository>;
