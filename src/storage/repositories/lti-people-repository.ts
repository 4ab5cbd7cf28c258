import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type {
  CourseContext,
  CourseContextInput,
  EnrollmentInput,
  EnrollmentRow,
  LtiUser,
  LtiUserInput,
  RoleKind,
} from '../../lti/model.js';

/**
 * SQL for people met through LTI: users, course contexts, enrollments. Upserts keep what the platform
 * did not send (an LMS may omit name or email on some launches: a missing claim never erases data).
 */
export function createLtiPeopleRepository(db: Kysely<Database>) {
  return {
    async upsertUser(u: LtiUserInput): Promise<LtiUser> {
      const row = await db
        .insertInto('lti_user')
        .values({
          tenant_id: u.tenantId,
          platform_id: u.platformId,
          sub: u.sub,
          name: u.name ?? null,
          given_name: u.givenName ?? null,
          family_name: u.familyName ?? null,
          email: u.email ?? null,
          xapi_home_page: u.xapiHomePage,
          xapi_name: u.xapiName,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'platform_id', 'sub']).doUpdateSet((eb) => ({
            name: eb.fn.coalesce('excluded.name', 'lti_user.name'),
            given_name: eb.fn.coalesce('excluded.given_name', 'lti_user.given_name'),
            family_name: eb.fn.coalesce('excluded.family_name', 'lti_user.family_name'),
            email: eb.fn.coalesce('excluded.email', 'lti_user.email'),
            updated_at: sql<Date>`now()`,
          })),
        )
        .returning(['id', 'sub', 'name', 'email', 'xapi_home_page', 'xapi_name'])
        .executeTakeFirstOrThrow();
      return {
        id: row.id,
        sub: row.sub,
        name: row.name,
        email: row.email,
        xapiHomePage: row.xapi_home_page,
        xapiName: row.xapi_name,
      };
    },

    async upsertContext(c: CourseContextInput): Promise<CourseContext> {
      const row = await db
        .insertInto('course_context')
        .values({
          tenant_id: c.tenantId,
          platform_id: c.platformId,
          deployment_id: c.deploymentId,
          context_id: c.contextId,
          title: c.title ?? null,
          label: c.label ?? null,
          memberships_url: c.membershipsUrl ?? null,
          lineitems_url: c.lineitemsUrl ?? null,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'platform_id', 'context_id']).doUpdateSet((eb) => ({
            deployment_id: eb.ref('excluded.deployment_id'),
            title: eb.fn.coalesce('excluded.title', 'course_context.title'),
            label: eb.fn.coalesce('excluded.label', 'course_context.label'),
            memberships_url: eb.fn.coalesce('excluded.memberships_url', 'course_context.memberships_url'),
            lineitems_url: eb.fn.coalesce('excluded.lineitems_url', 'course_context.lineitems_url'),
            updated_at: sql<Date>`now()`,
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toContext(row);
    },

    async findContext(tenantId: string, id: string): Promise<CourseContext | undefined> {
      const row = await db
        .selectFrom('course_context')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toContext(row);
    },

    async listContexts(tenantId: string): Promise<CourseContext[]> {
      const rows = await db
        .selectFrom('course_context')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('title')
        .execute();
      return rows.map(toContext);
    },

    async upsertEnrollment(e: EnrollmentInput): Promise<void> {
      await db
        .insertInto('enrollment')
        .values({
          tenant_id: e.tenantId,
          context_id: e.contextId,
          user_id: e.userId,
          roles: e.roles,
          role_kind: e.roleKind,
          status: 'active',
          source: e.source,
          enrolled_at: sql<Date>`now()`,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'context_id', 'user_id']).doUpdateSet({
            roles: e.roles,
            role_kind: e.roleKind,
            status: 'active',
            last_seen_at: sql<Date>`now()`,
            // A re-enrolment reactivates the same enrollment: its start stays, its end is cleared.
            ended_at: null,
          }),
        )
        .execute();
    },

    /**
     * Marks inactive every active enrollment of the context, of the role kinds, not in `keepUserIds`
     * (members who left); sample enrollments (demo learners no LMS lists) stay. Returns their user ids.
     */
    async deactivateOthers(
      tenantId: string,
      contextId: string,
      keepUserIds: string[],
      roleKinds: RoleKind[],
    ): Promise<string[]> {
      let q = db
        .updateTable('enrollment')
        .set({ status: 'inactive', ended_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('context_id', '=', contextId)
        .where('status', '=', 'active')
        .where('role_kind', 'in', roleKinds)
        .where('source', '<>', 'sample');
      if (keepUserIds.length) q = q.where('user_id', 'not in', keepUserIds);
      const rows = await q.returning('user_id').execute();
      return rows.map((r) => r.user_id);
    },

    /** User ids of the context's sample enrollments (the demo's generated learners). */
    async sampleUserIds(tenantId: string, contextId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('enrollment')
        .select('user_id')
        .where('tenant_id', '=', tenantId)
        .where('context_id', '=', contextId)
        .where('source', '=', 'sample')
        .execute();
      return rows.map((r) => r.user_id);
    },

    /** The context's active enrollments: who they are and where the enrollment came from. */
    async activeEnrollments(
      tenantId: string,
      contextId: string,
    ): Promise<{ userId: string; name: string; source: 'launch' | 'roster' | 'sample' }[]> {
      const rows = await db
        .selectFrom('enrollment as e')
        .innerJoin('lti_user as u', (j) =>
          j.onRef('u.tenant_id', '=', 'e.tenant_id').onRef('u.id', '=', 'e.user_id'),
        )
        .select(['e.user_id', 'e.source', 'u.name', 'u.email', 'u.sub'])
        .where('e.tenant_id', '=', tenantId)
        .where('e.context_id', '=', contextId)
        .where('e.status', '=', 'active')
        .execute();
      return rows.map((r) => ({ userId: r.user_id, name: r.name ?? r.email ?? r.sub, source: r.source }));
    },

    /** Every course with an NRPS endpoint, across tenants: the roster scheduler's work list. */
    async listSyncableContexts(): Promise<{ tenantId: string; contextId: string }[]> {
      const rows = await db
        .selectFrom('course_context')
        .select(['tenant_id', 'id'])
        .where('memberships_url', 'is not', null)
        .orderBy('tenant_id')
        .execute();
      return rows.map((r) => ({ tenantId: r.tenant_id, contextId: r.id }));
    },

    async markRosterSynced(tenantId: string, contextId: string): Promise<void> {
      await db
        .updateTable('course_context')
        .set({ roster_synced_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', contextId)
        .execute();
    },

    /** A course's enrollments by name (then sub and user id, so pages never overlap); with `page`, that page. */
    async listEnrollments(
      tenantId: string,
      contextId: string,
      page?: { limit: number; offset: number },
    ): Promise<EnrollmentRow[]> {
      let query = db
        .selectFrom('enrollment as e')
        .innerJoin('lti_user as u', (j) =>
          j.onRef('u.tenant_id', '=', 'e.tenant_id').onRef('u.id', '=', 'e.user_id'),
        )
        .select(['u.id', 'u.sub', 'u.name', 'u.email', 'e.role_kind', 'e.roles', 'e.status', 'e.source'])
        .where('e.tenant_id', '=', tenantId)
        .where('e.context_id', '=', contextId)
        .orderBy('u.name')
        .orderBy('u.sub')
        .orderBy('u.id');
      if (page) query = query.limit(page.limit).offset(page.offset);
      const rows = await query.execute();
      return rows.map((r) => ({
        userId: r.id,
        sub: r.sub,
        name: r.name,
        email: r.email,
        roleKind: r.role_kind,
        roles: r.roles,
        status: r.status,
        source: r.source,
      }));
    },
    /** How many enrollments a course has, and how many of them are active. */
    async countEnrollments(tenantId: string, contextId: string): Promise<{ total: number; active: number }> {
      const row = await db
        .selectFrom('enrollment')
        .select((eb) => [
          eb.fn.countAll<string>().as('total'),
          eb.fn.countAll<string>().filterWhere('status', '=', 'active').as('active'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('context_id', '=', contextId)
        .executeTakeFirstOrThrow();
      return { total: Number(row.total), active: Number(row.active) };
    },
  };
}

function toContext(row: {
  id: string;
  platform_id: string;
  deployment_id: string;
  context_id: string;
  title: string | null;
  label: string | null;
  memberships_url: string | null;
  lineitems_url: string | null;
  roster_synced_at: Date | null;
}): CourseContext {
  return {
    id: row.id,
    platformId: row.platform_id,
    deploymentId: row.deployment_id,
    contextId: row.context_id,
    title: row.title,
    label: row.label,
    membershipsUrl: row.memberships_url,
    lineitemsUrl: row.lineitems_url,
    rosterSyncedAt: row.roster_synced_at,
  };
}

export type LtiPeopleRepository = ReturnType<typeof createLtiPeopleRepository>;
