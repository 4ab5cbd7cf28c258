import { sql, type Kysely } from 'kysely';
import type { Database, LtiPlatformTable } from '../schema.js';
import { mapDatabaseError } from '../db-errors.js';
import { withTransaction } from '../transaction.js';
import type { LtiPlatform, NewLtiPlatform } from '../../lti/model.js';

type Row = Omit<LtiPlatformTable, 'id' | 'created_at'> & { id: string; created_at: Date };

/** SQL for LTI platforms, their deployments and the (issuer, client_id) -> tenant route. */
export function createLtiPlatformRepository(db: Kysely<Database>) {
  const withDeployments = async (rows: Row[]): Promise<LtiPlatform[]> => {
    if (rows.length === 0) return [];
    const deployments = await db
      .selectFrom('lti_deployment')
      .select(['tenant_id', 'platform_id', 'deployment_id'])
      .where('tenant_id', 'in', [...new Set(rows.map((r) => r.tenant_id))])
      .where(
        'platform_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('deployment_id')
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      id: r.id,
      issuer: r.issuer,
      clientId: r.client_id,
      name: r.name,
      authUrl: r.auth_url,
      tokenUrl: r.token_url,
      jwksUrl: r.jwks_url,
      status: r.status,
      source: r.source,
      createdAt: r.created_at,
      deploymentIds: deployments
        .filter((d) => d.platform_id === r.id && d.tenant_id === r.tenant_id)
        .map((d) => d.deployment_id),
    }));
  };

  return {
    /** Inserts the platform, its route and deployments at once; a taken (issuer, client_id) is a conflict. */
    async insert(p: NewLtiPlatform): Promise<LtiPlatform> {
      const id = await withTransaction(db, async (trx) => {
        const row = await trx
          .insertInto('lti_platform')
          .values({
            tenant_id: p.tenantId,
            issuer: p.issuer,
            client_id: p.clientId,
            name: p.name,
            auth_url: p.authUrl,
            token_url: p.tokenUrl,
            jwks_url: p.jwksUrl,
            status: p.status,
            source: p.source,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('lti_platform_route')
          .values({ issuer: p.issuer, client_id: p.clientId, tenant_id: p.tenantId, platform_id: row.id })
          .execute();
        if (p.deploymentIds.length) {
          await trx
            .insertInto('lti_deployment')
            .values(
              p.deploymentIds.map((d) => ({ tenant_id: p.tenantId, platform_id: row.id, deployment_id: d })),
            )
            .execute();
        }
        return row.id;
      });
      return (await this.findById(p.tenantId, id))!;
    },

    /** Which tenant and platform an (issuer, client_id) belongs to; undefined when nobody registered it. */
    async findByIssuer(issuer: string, clientId: string): Promise<LtiPlatform | undefined> {
      const route = await db
        .selectFrom('lti_platform_route')
        .select(['tenant_id', 'platform_id'])
        .where('issuer', '=', issuer)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return route && this.findById(route.tenant_id, route.platform_id);
    },

    async findById(tenantId: string, id: string): Promise<LtiPlatform | undefined> {
      const rows = await db
        .selectFrom('lti_platform')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      return (await withDeployments(rows))[0];
    },

    async listByTenant(tenantId: string): Promise<LtiPlatform[]> {
      const rows = await db
        .selectFrom('lti_platform')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return withDeployments(rows);
    },

    /** Every pending platform of every tenant: the approval queue of Dynamic Registration. */
    async listPending(): Promise<LtiPlatform[]> {
      const rows = await db
        .selectFrom('lti_platform')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('created_at')
        .execute();
      return withDeployments(rows);
    },

    async setStatus(tenantId: string, id: string, status: 'active' | 'pending'): Promise<void> {
      await db
        .updateTable('lti_platform')
        .set({ status })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    async addDeployment(tenantId: string, platformId: string, deploymentId: string): Promise<void> {
      try {
        await db
          .insertInto('lti_deployment')
          .values({ tenant_id: tenantId, platform_id: platformId, deployment_id: deploymentId })
          .onConflict((oc) => oc.doNothing())
          .execute();
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },

    async hasDeployment(tenantId: string, platformId: string, deploymentId: string): Promise<boolean> {
      const row = await db
        .selectFrom('lti_deployment')
        .select('deployment_id')
        .where('tenant_id', '=', tenantId)
        .where('platform_id', '=', platformId)
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirst();
      return Boolean(row);
    },

    async insertRetiredKey(k: {
      tenantId: string;
      platformId: string;
      kid: string;
      publicJwk: Record<string, unknown>;
      publishedUntil: Date;
    }): Promise<void> {
      await db
        .insertInto('lti_retired_key')
        .values({
          tenant_id: k.tenantId,
          platform_id: k.platformId,
          kid: k.kid,
          public_jwk: JSON.stringify(k.publicJwk),
          published_until: k.publishedUntil,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'platform_id', 'kid']).doUpdateSet({ published_until: k.publishedUntil }),
        )
        .execute();
    },

    /** Retired keys still inside their overlap period, across tenants: Yardstick's JWKS is one URL. */
    async publishedRetiredKeys(): Promise<Record<string, unknown>[]> {
      const rows = await db
        .selectFrom('lti_retired_key')
        .select('public_jwk')
        .where('published_until', '>', sql<Date>`now()`)
        .orderBy('retired_at')
        .execute();
      return rows.map((r) => r.public_jwk);
    },

    /** Deletes the platform and its route in one statement (the route has no foreign key: migration 0115). */
    async delete(tenantId: string, id: string): Promise<void> {
      await db
        .with('route', (q) =>
          q.deleteFrom('lti_platform_route').where('tenant_id', '=', tenantId).where('platform_id', '=', id),
        )
        .deleteFrom('lti_platform')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
  };
}

export type LtiPlatformRepository = ReturnType<typeof createLtiPlatformRepository>;
