import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.js';
import type { LtiSession } from '../../lti/model.js';

/** SQL for browser sessions created by a launch (the cookie holds tenant id and a random token). */
export function createLtiSessionRepository(db: Kysely<Database>) {
  return {
    async insert(s: LtiSession): Promise<void> {
      await db
        .insertInto('lti_session')
        .values({
          tenant_id: s.tenantId,
          id: s.id,
          platform_id: s.platformId,
          user_id: s.userId,
          context_id: s.contextId,
          role_kind: s.roleKind,
          roles: s.roles,
          message_type: s.messageType,
          resource_link_id: s.resourceLinkId,
          launch: JSON.stringify(s.launch),
          expires_at: s.expiresAt,
        })
        .execute();
    },

    /** Ends the session (sign-out): its cookie and every session token issued for it stop working. */
    async end(tenantId: string, id: string): Promise<void> {
      await db
        .updateTable('lti_session')
        .set({ ended_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    /** The unexpired session that has not ended, or undefined. */
    async find(tenantId: string, id: string): Promise<LtiSession | undefined> {
      const row = await db
        .selectFrom('lti_session')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('expires_at', '>', sql<Date>`now()`)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        tenantId: row.tenant_id,
        id: row.id,
        platformId: row.platform_id,
        userId: row.user_id,
        contextId: row.context_id,
        roleKind: row.role_kind,
        roles: row.roles,
        messageType: row.message_type,
        resourceLinkId: row.resource_link_id,
        launch: row.launch as Record<string, unknown>,
        expiresAt: row.expires_at,
      };
    },
  };
}

export type LtiSessionRepository = ReturnType<typeof createLtiSessionRepository>;
