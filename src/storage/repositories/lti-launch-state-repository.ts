import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** SQL for the OIDC login states and used nonces (keyed by state / issuer: no tenant is known yet). */
export function createLtiLaunchStateRepository(db: Kysely<Database>) {
  return {
    async saveLoginState(s: {
      state: string;
      nonce: string;
      issuer: string;
      clientId: string | null;
      storageTarget?: string | null;
    }): Promise<void> {
      const row = {
        nonce: s.nonce,
        issuer: s.issuer,
        client_id: s.clientId,
        storage_target: s.storageTarget ?? null,
      };
      await db
        .insertInto('lti_login_state')
        .values({ state: s.state, ...row })
        .onConflict((oc) => oc.column('state').doUpdateSet(row))
        .execute();
    },

    /** The issuer and storage target of a login state, without using it up (undefined when unknown). */
    async peekLoginState(
      state: string,
    ): Promise<{ issuer: string; storageTarget: string | null } | undefined> {
      const row = await db
        .selectFrom('lti_login_state')
        .select(['issuer', 'storage_target'])
        .where('state', '=', state)
        .executeTakeFirst();
      return row ? { issuer: row.issuer, storageTarget: row.storage_target } : undefined;
    },

    /** Removes and returns a login state younger than `maxAgeSeconds`; a state is usable once. */
    async takeLoginState(
      state: string,
      maxAgeSeconds: number,
    ): Promise<{ nonce: string; issuer: string } | undefined> {
      const row = await db
        .deleteFrom('lti_login_state')
        .where('state', '=', state)
        .returning(['nonce', 'issuer', 'created_at'])
        .executeTakeFirst();
      if (!row) return undefined;
      const ageSeconds = (Date.now() - row.created_at.getTime()) / 1000;
      return ageSeconds <= maxAgeSeconds ? { nonce: row.nonce, issuer: row.issuer } : undefined;
    },

    async isNonceUsed(issuer: string, nonce: string): Promise<boolean> {
      const row = await db
        .selectFrom('lti_used_nonce')
        .select('nonce')
        .where('issuer', '=', issuer)
        .where('nonce', '=', nonce)
        .executeTakeFirst();
      return Boolean(row);
    },

    /**
     * Records a nonce as used until `expiresAt`; false when it was already used (a replay). Expired rows
     * are purged on the way, so the table stays as small as the launches of the last few minutes.
     */
    async useNonce(issuer: string, nonce: string, expiresAt: Date): Promise<boolean> {
      await db
        .deleteFrom('lti_used_nonce')
        .where('expires_at', '<', sql<Date>`now()`)
        .execute();
      await db
        .deleteFrom('lti_login_state')
        .where('created_at', '<', sql<Date>`now() - interval '1 hour'`)
        .execute();
      const inserted = await db
        .insertInto('lti_used_nonce')
        .values({ issuer, nonce, expires_at: expiresAt })
        .onConflict((oc) => oc.columns(['issuer', 'nonce']).doNothing())
        .returning('nonce')
        .executeTakeFirst();
      return Boolean(inserted);
    },
  };
}

export type LtiLaunchStateRepository = ReturnType<typeof createLtiLaunchStateRepository>;
