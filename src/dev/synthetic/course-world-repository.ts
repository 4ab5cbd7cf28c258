import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import {
  generateCourseWorld,
  type CourseWorld,
  type CourseWorldOptions,
  type WorldModule,
} from './course-world.js';

/**
 * Inserts a generated course world into a real database: tenant, LMS platform, course context, LTI
 * users (learners and managers), enrollments (learners as learners, managers as instructors), people
 * linked to the LMS users, a program with treatment and control cohorts, modules with two published
 * versions and their resource links. Statements are not inserted; see storeStatements / copyStatements.
 */
export interface ExistingCourse {
  tenantId: string;
  tenantName: string;
  platformId: string;
  issuer: string;
  courseId: string;
  /** LMS users already enrolled (e.g. by a launch) who also get statements: not inserted again. */
  learners?: { userId: string; sub: string; name: string }[];
  /** Enroll the generated people as samples (source 'sample': marked on pages, kept by roster syncs). */
  samples?: boolean;
  /** An existing program the modules belong to: no program or cohorts are made. */
  programId?: string;
  /**
   * The generated learners are these people of the tenant, already in the program's cohorts: their
   * LMS users are linked to them (person.lms_user_id) instead of new person rows being made.
   */
  people?: { id: string; name: string }[];
  /**
   * Modules the tenant already has (the demo's hand-written ones, with every question kind): not
   * inserted, but assigned under their resource link (a link a launch already bound is left as it is)
   * and taken by the generated learners like the generated modules.
   */
  modules?: WorldModule[];
}

export async function insertCourseWorld(
  db: Kysely<Database>,
  options: Omit<CourseWorldOptions, 'tenantId' | 'platformId'> & {
    tenantName?: string;
    existing?: ExistingCourse;
  },
): Promise<{ world: CourseWorld; tenantName: string }> {
  const ex = options.existing;
  const tenantName = ex?.tenantName ?? options.tenantName ?? `World ${options.seed}`;
  const tenant = ex
    ? { id: ex.tenantId }
    : await db.insertInto('tenant').values({ name: tenantName }).returning('id').executeTakeFirstOrThrow();
  const issuer = ex?.issuer ?? options.issuer ?? `https://lms-${options.seed}.world.example`;
  const platform = ex
    ? { id: ex.platformId }
    : await db
        .insertInto('lti_platform')
        .values({
          tenant_id: tenant.id,
          issuer,
          client_id: `client-${options.seed}`,
          name: 'World LMS',
          auth_url: `${issuer}/auth`,
          token_url: `${issuer}/token`,
          jwks_url: `${issuer}/jwks`,
          status: 'active',
          source: 'cli',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
  const world = generateCourseWorld({ ...options, issuer, tenantId: tenant.id, platformId: platform.id });
  const known = (ex?.learners ?? []).map((l, i) => ({
    ...world.learners[i % world.learners.length]!,
    userId: l.userId,
    sub: l.sub,
    name: l.name,
    personId: randomUUID(),
  }));
  if (ex) world.courseId = ex.courseId;
  if (ex?.programId) {
    world.programId = ex.programId;
    world.cohorts = null;
  }
  const linked = new Map<string, string>();
  ex?.people?.slice(0, world.learners.length).forEach((p, i) => {
    const learner = world.learners[i]!;
    const email = `${p.name.replace(/\W+/g, '.')}.${learner.sub}@example.com`.toLowerCase();
    Object.assign(learner, { personId: p.id, name: p.name, email });
    linked.set(learner.userId, p.id);
  });
  const learnerIds = new Set(world.learners.map((l) => l.userId));
  const t = tenant.id;
  if (!ex) {
    await db
      .insertInto('course_context')
      .values({
        tenant_id: t,
        id: world.courseId,
        platform_id: platform.id,
        deployment_id: 'deployment-1',
        context_id: world.lmsContextId,
        title: world.title,
      })
      .execute();
  }
  const people = [...world.learners, ...world.managers];
  for (let i = 0; i < people.length; i += 2000) {
    const slice = people.slice(i, i + 2000);
    await db
      .insertInto('lti_user')
      .values(
        slice.map((p) => ({
          tenant_id: t,
          id: p.userId,
          platform_id: platform.id,
          sub: p.sub,
          name: p.name,
          email: p.email,
          xapi_home_page: issuer,
          xapi_name: p.sub,
        })),
      )
      .execute();
    await db
      .insertInto('enrollment')
      .values(
        slice.map((p) => {
          const learner = learnerIds.has(p.userId);
          return {
            tenant_id: t,
            context_id: world.courseId,
            user_id: p.userId,
            roles: [
              learner
                ? 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'
                : 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
            ],
            role_kind: learner ? ('learner' as const) : ('instructor' as const),
            status: 'active' as const,
            source: ex?.samples ? ('sample' as const) : ('roster' as const),
          };
        }),
      )
      .execute();
    const fresh = slice.filter((p) => !linked.has(p.userId));
    if (fresh.length)
      await db
        .insertInto('person')
        .values(
          fresh.map((p) => ({
            tenant_id: t,
            id: p.personId,
            lms_user_id: p.userId,
            display_name: p.name,
            email: p.email,
          })),
        )
        .execute();
  }
  for (const [userId, personId] of linked)
    await db
      .updateTable('person')
      .set({ lms_user_id: userId })
      .where('tenant_id', '=', t)
      .where('id', '=', personId)
      .execute();
  if (known.length) {
    await db
      .insertInto('person')
      .values(
        known.map((p) => ({ tenant_id: t, id: p.personId, lms_user_id: p.userId, display_name: p.name })),
      )
      .execute();
    world.learners.push(...known);
  }
  if (world.programId && world.cohorts) {
    await db
      .insertInto('program')
      .values({
        tenant_id: t,
        id: world.programId,
        name: `${world.title} pilot`,
        post_window_start: world.campaignDate.toISOString().slice(0, 10),
      })
      .execute();
    await db
      .insertInto('cohort')
      .values([
        {
          tenant_id: t,
          id: world.cohorts.treatmentId,
          program_id: world.programId,
          name: 'Treatment',
          arm: 'treatment',
          source: 'randomization',
        },
        {
          tenant_id: t,
          id: world.cohorts.controlId,
          program_id: world.programId,
          name: 'Control',
          arm: 'control',
          source: 'randomization',
        },
      ])
      .execute();
    for (let i = 0; i < world.learners.length; i += 2000) {
      await db
        .insertInto('cohort_member')
        .values(
          world.learners.slice(i, i + 2000).map((l) => ({
            tenant_id: t,
            program_id: world.programId!,
            person_id: l.personId,
            cohort_id: l.arm === 'treatment' ? world.cohorts!.treatmentId : world.cohorts!.controlId,
          })),
        )
        .execute();
    }
  }
  for (const m of world.modules) {
    await db
      .insertInto('module')
      .values({ tenant_id: t, id: m.id, title: m.title, program_id: world.programId })
      .execute();
    for (const [i, content] of m.versions.entries()) {
      await db
        .insertInto('module_version')
        .values({
          tenant_id: t,
          module_id: m.id,
          version: i + 1,
          status: 'published',
          content: JSON.stringify(content),
          published_at: new Date(world.start.getTime() - (2 - i) * 86400000),
        })
        .execute();
    }
    await db
      .insertInto('module_link')
      .values({
        tenant_id: t,
        context_id: world.courseId,
        resource_link_id: m.resourceLinkId,
        module_id: m.id,
      })
      .execute();
  }
  for (const m of ex?.modules ?? []) {
    await db
      .insertInto('module_link')
      .values({
        tenant_id: t,
        context_id: world.courseId,
        resource_link_id: m.resourceLinkId,
        module_id: m.id,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'context_id', 'resource_link_id']).doNothing())
      .execute();
    world.modules.push(m);
  }
  return { world, tenantName };
}

/**
 * Whether the tenant has an LMS user with this `sub` on any of its platforms. A generated world's user
 * ids come from its seed alone, so it can be inserted once per tenant, whichever platform (issuer) it
 * was first linked to.
 */
export async function hasLtiUser(db: Kysely<Database>, tenantId: string, sub: string): Promise<boolean> {
  const row = await db
    .selectFrom('lti_user')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('sub', '=', sub)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * Refreshes the planner's statistics after a bulk load (autovacuum would only get to it later): with
 * the statistics of empty tables, the first report after the demo's thousands of statements planned
 * its learner joins as nested loops and ran past the statement timeout. Tables the role may not
 * maintain are skipped with a notice, not an error.
 */
export async function analyzeAfterBulkLoad(db: Kysely<Database>): Promise<void> {
  await sql`ANALYZE`.execute(db);
}
