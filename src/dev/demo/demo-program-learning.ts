import type { Kysely } from 'kysely';
import type { Services } from '../../services.js';
import type { Database } from '../../storage/schema.js';
import type { WorldTopic } from '../synthetic/course-world.js';
import { analyzeAfterBulkLoad, hasLtiUser, insertCourseWorld } from '../synthetic/course-world-repository.js';
import { generateCaptureStatements } from '../synthetic/capture-statements.js';
import { createLtiPeopleRepository } from '../../storage/repositories/lti-people-repository.js';
import { NotFoundError } from '../../errors.js';
import { DEMO_PROGRAMS } from './demo-seed.js';
import { demoPeople } from './demo-data.js';
import { storeDemoStatements, type DemoLms } from './demo-course-activity.js';
import { CLAIMS_TOPICS, RETIREMENT_TOPICS, WELLBEING_TOPICS } from './demo-topics.js';

/** One pilot's learning: its course in the development LMS, its modules and how many of its people learn. */
interface Story {
  program: string;
  course: string;
  topics: WorldTopic[];
  learners: number;
  /** LMS subs of the story's sample people start with it, so the stories share one platform. */
  prefix: string;
  seed: number;
}

const STORIES: Story[] = [
  {
    program: DEMO_PROGRAMS.retirement,
    course: 'retire-101',
    topics: RETIREMENT_TOPICS,
    learners: 24,
    prefix: '401k-',
    seed: 401,
  },
  {
    program: DEMO_PROGRAMS.claims,
    course: 'navigate-101',
    topics: CLAIMS_TOPICS,
    learners: 40,
    prefix: 'claims-',
    seed: 402,
  },
  {
    program: DEMO_PROGRAMS.wellbeing,
    course: 'wellbeing-101',
    topics: WELLBEING_TOPICS,
    learners: 24,
    prefix: 'wellbeing-',
    seed: 403,
  },
];

/**
 * Kirkpatrick levels 1-3 for the three demo pilots: in each pilot's course of the development LMS,
 * some of the program's trained people (never the control arm) get an LMS account linked to their
 * person, the program's modules (demo-topics.ts) are assigned under the course's links, and their
 * attempts, surveys and their managers' observations are stored through the LRS. Run after
 * seedDemoPrograms; each story once per tenant (skipped when its sample learners exist, or when its
 * program or course is missing). Returns how many statements it stored.
 */
export async function seedDemoProgramLearning(deps: {
  db: Kysely<Database>;
  services: Services;
  lms: DemoLms;
  tenantName: string;
}): Promise<number> {
  const { db, services, lms, tenantName } = deps;
  const tenant = await services.tenants.getByName(tenantName);
  const platform = await services.lti.platforms.findByIssuer(lms.issuer, lms.clientId);
  if (!platform) return 0;
  const names = new Map(demoPeople().map((p) => [p.employeeId, p.displayName]));
  let stored = 0;
  for (const story of STORIES) {
    const course = lms.courses.find((c) => c.id === story.course);
    if (!course || (await hasLtiUser(db, tenant.id, `${story.prefix}learner-1`))) continue;
    const program = await services.programs.get(tenant.id, story.program).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (!program) continue;
    const trained = (await services.cohorts.members(tenant.id, program.id))
      .filter((m) => m.arm !== 'control' && m.employeeId)
      .sort((a, b) => a.employeeId!.localeCompare(b.employeeId!))
      .slice(0, story.learners);
    const context = await createLtiPeopleRepository(db).upsertContext({
      tenantId: tenant.id,
      platformId: platform.id,
      deploymentId: lms.deploymentId,
      contextId: course.id,
      title: course.title,
      label: course.label,
    });
    const { world } = await insertCourseWorld(db, {
      seed: story.seed,
      learners: trained.length,
      topics: story.topics,
      subPrefix: story.prefix,
      start: new Date(`${program.postWindow.start ?? '2025-01-01'}T09:00:00Z`),
      existing: {
        tenantId: tenant.id,
        tenantName,
        samples: true,
        platformId: platform.id,
        issuer: lms.issuer,
        courseId: context.id,
        programId: program.id,
        people: trained.map((m) => ({ id: m.personId, name: names.get(m.employeeId!) ?? m.employeeId! })),
      },
    });
    const statements = [
      ...generateCaptureStatements(world, {
        seed: story.seed,
        neverStartShare: 0.05,
        observedShare: 0.8,
      }),
    ];
    await storeDemoStatements(services, tenantName, lms.issuer, `Demo ${story.course} activity`, statements);
    stored += statements.length;
  }
  if (stored) await analyzeAfterBulkLoad(db);
  return stored;
}
