import type { Kysely } from 'kysely';
import type { Services } from '../../services.js';
import type { Database } from '../../storage/schema.js';
import { analyzeAfterBulkLoad, hasLtiUser, insertCourseWorld } from '../synthetic/course-world-repository.js';
import { createLtiPeopleRepository } from '../../storage/repositories/lti-people-repository.js';
import { generateCaptureStatements, type CaptureStatement } from '../synthetic/capture-statements.js';
import { createModuleRepository } from '../../storage/repositories/module-repository.js';
import type { WorldModule } from '../synthetic/course-world.js';
import { FORKLIFT_TOPICS } from './demo-topics.js';
import { LOAD_LIMITS_LINK, seedDemoModules } from './demo-modules.js';

/** The development LMS as the demo needs it: who it is, and the course that gets sample activity. */
export interface DemoLms {
  issuer: string;
  clientId: string;
  deploymentId: string;
  courses: { id: string; title: string; label: string }[];
}

const COURSE = 'safety-101';
const LEARNERS = 40;

/**
 * Stores generated statements through the LRS like any content's, under an LRS credential of the demo
 * tenant named `credentialName`, in batches of 500.
 */
export async function storeDemoStatements(
  services: Services,
  tenantName: string,
  homePage: string,
  credentialName: string,
  statements: readonly CaptureStatement[],
): Promise<void> {
  const credential = await services.lrsCredentials.create({
    tenant: tenantName,
    name: credentialName,
    scopes: ['all'],
    homePage,
  });
  const principal = await services.lrsCredentials.authenticate(credential.key, credential.secret);
  for (let i = 0; i < statements.length; i += 500)
    await services.xapiStatements.store({
      principal,
      version: '2.0.0',
      body: Buffer.from(JSON.stringify(statements.slice(i, i + 500))),
      contentType: 'application/json',
    });
}

/**
 * The tenant's hand-written "Load limits" module (demo-modules.ts) as the generator takes it: its
 * published versions, assigned under the course's module 1 link. Undefined when it has none published.
 */
async function loadLimitsModule(db: Kysely<Database>, tenantId: string): Promise<WorldModule | undefined> {
  const modules = createModuleRepository(db);
  const { loadLimits } = await seedDemoModules(modules, tenantId);
  const module = await modules.findById(tenantId, loadLimits);
  // Versions 1..n as published, so a statement's version is the one whose content it answers.
  const published = (await modules.versions(tenantId, loadLimits)).filter((v) => v.status === 'published');
  const versions = published.filter((v, i) => v.version === i + 1).map((v) => v.content);
  if (!module || versions.length === 0) return undefined;
  return {
    id: module.id,
    title: module.title,
    resourceLinkId: LOAD_LIMITS_LINK,
    versions,
    medianMinutes: 15,
  };
}

/**
 * Sample learner activity for the development LMS's "Forklift Safety 101", so the instructor's course
 * report is populated on a fresh `npm start` (three real demo learners are fewer than the privacy
 * minimum): 40 generated sample learners enrolled in the course take the hand-written "Load limits"
 * module (every question kind, a survey with free text, an observation form) and three generated
 * forklift-safety modules, each assigned under the course's own links (demo-topics.ts), with their
 * statements built by the learner flow's capture code and stored through the LRS like any content's. No program: the course is not one of the pilots. Seeded once per tenant
 * (skipped when the generated learners exist); returns how many statements it stored, or 0 when it had
 * already run.
 */
export async function seedDemoCourseActivity(deps: {
  db: Kysely<Database>;
  services: Services;
  lms: DemoLms;
  tenantName: string;
}): Promise<number> {
  const { db, services, lms, tenantName } = deps;
  const tenant = await services.tenants.getByName(tenantName);
  const platform = await services.lti.platforms.findByIssuer(lms.issuer, lms.clientId);
  const course = lms.courses.find((c) => c.id === COURSE);
  if (!platform || !course) return 0;
  // Once per tenant: the generated learners' ids are fixed, and a restart on another port registers
  // the development LMS again under another issuer.
  if (await hasLtiUser(db, tenant.id, 'learner-1')) return 0;
  // The same row the course's first launch would create (and later launches update).
  const context = await createLtiPeopleRepository(db).upsertContext({
    tenantId: tenant.id,
    platformId: platform.id,
    deploymentId: lms.deploymentId,
    contextId: course.id,
    title: course.title,
    label: course.label,
  });
  const { world } = await insertCourseWorld(db, {
    seed: 61,
    learners: LEARNERS,
    topics: FORKLIFT_TOPICS,
    program: false,
    existing: {
      tenantId: tenant.id,
      tenantName,
      samples: true,
      platformId: platform.id,
      issuer: lms.issuer,
      courseId: context.id,
      modules: [await loadLimitsModule(db, tenant.id)].filter((m) => m !== undefined),
    },
  });
  const statements = [...generateCaptureStatements(world, { seed: 8 })];
  await storeDemoStatements(services, tenantName, lms.issuer, 'Demo sample activity', statements);
  await analyzeAfterBulkLoad(db);
  return statements.length;
}
