import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface RegistrationTokenRow {
  tenantId: string;
  id: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** SQL for one-time Dynamic Registration tokens, always by tenant (a token carries its tenant's id). */
export function createLtiRegistrationTokenRepository(db: Kysely<Database>) {
  return {
    async insert(tenantId: string, tokenHash: string, expiresAt: Date): Promise<RegistrationTokenRow> {
      const r = await db
        .insertInto('lti_registration_token')
        .values({ tenant_id: tenantId, token_hash: tokenHash, expires_at: expiresAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        tenantId: r.tenant_id,
        id: r.id,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        usedAt: r.used_at,
      };
    },
    /**
     * Marks the token used if it is unused and unexpired, in one statement, so two requests with the
     * same token cannot both spend it. Returns whether it was spent now.
     */
    async spend(tenantId: string, tokenHash: string): Promise<boolean> {
      const r = await db
        .updateTable('lti_registration_token')
        .set({ used_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', new Date())
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}

export type LtiRegistrationTokenRepository = ReturnType<typeof createLtiRegistrationTokenRepository>;
