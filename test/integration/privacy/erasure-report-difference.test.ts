import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';
import {
  insertCourseWorld,
  insertWorldWithStatements,
  storeStatements,
  worldStatements,
} from '../../fixtures/course-world.js';
import type { CourseWorld, WorldLearner } from '../../../src/dev/synthetic/course-world.js';

const OPTIONS = { seed: 23, learners: 20, modules: 2 };

/** Every report the course's pages, CSVs and charts are built from, with the tenant id taken out. */
async function reports(services: Services, world: CourseWorld) {
  const scope = { tenantId: world.tenantId, courseId: world.courseId };
  const [report, quality, learners] = await Promise.all([
    services.kpiReports.build(scope),
    services.kpiReports.quality(scope),
    services.kpiReports.learnerExport(scope),
  ]);
  // Freshness says when the report was made and what it saw last: the same numbers, other moments.
  const withoutFreshness = <T extends { freshness: unknown }>({ freshness: _, ...rest }: T) => rest;
  const all = { report: withoutFreshness(report), quality: withoutFreshness(quality), learners };
  return JSON.parse(JSON.stringify(all).replaceAll(world.tenantId, 'TENANT')) as unknown;
}

/**
 * "Reports before and after erasure differ exactly by that person's contribution" (issue #18): the
 * same generated course in two tenants, one with everyone, one (the twin) in which the person never
 * existed: not enrolled, no people row, none of their statements sent. After erasing the person from
 * the first, every course report equals the twin's.
 */
describe('Reports after a person is erased', () => {
  const database = useTestDatabase();
  let services: Services;
  let full: CourseWorld;
  let twin: CourseWorld;
  let person: WorldLearner;

  before(async function () {
    this.timeout(180000);
    const { db } = database();
    services = createServices({ db });
    full = (
      await insertWorldWithStatements(db, services, { ...OPTIONS, tenantName: 'With them' }, { seed: 23 })
    ).world;
    const inserted = await insertCourseWorld(db, {
      ...OPTIONS,
      tenantName: 'Never had them',
      issuer: 'https://lms-twin.world.example',
    });
    twin = inserted.world;
    person = full.learners.find((l) => l.personId && l.arm === 'treatment')!;
    const t = twin.tenantId;
    // The twin's rows of the person (same generated ids): the world insert's only rows naming them.
    await sql`DELETE FROM cohort_member WHERE tenant_id = ${t} AND person_id = ${person.personId}`.execute(
      db,
    );
    await sql`DELETE FROM enrollment WHERE tenant_id = ${t} AND user_id = ${person.userId}`.execute(db);
    await sql`DELETE FROM person WHERE tenant_id = ${t} AND id = ${person.personId}`.execute(db);
    await sql`DELETE FROM lti_user WHERE tenant_id = ${t} AND id = ${person.userId}`.execute(db);
    const named = (s: object) => JSON.stringify(s).includes(`"${person.sub}"`);
    const statements = worldStatements(twin, { seed: 23 });
    assert.ok(statements.some(named), 'the person has statements in the generated course');
    await storeStatements(
      services,
      inserted.tenantName,
      statements.filter((s) => !named(s)),
    );
  });

  it('equal those of the same course in which the person never existed', async function () {
    this.timeout(120000);
    const before = await reports(services, full);
    const without = await reports(services, twin);
    assert.notDeepEqual(before, without, 'the person contributes to the reports');

    await services.privacy.erase(
      full.tenantId,
      { kind: 'account', homePage: full.issuer, name: person.sub },
      { requestedBy: 'the employee', approvedBy: 'the DPO' },
    );
    assert.deepEqual(await reports(services, full), without);
  });
});
