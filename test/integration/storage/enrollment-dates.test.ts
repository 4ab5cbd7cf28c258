import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { insertCourseWorld } from '../../fixtures/course-world.js';
import { createLtiPeopleRepository } from '../../../src/storage/repositories/lti-people-repository.js';

/** Enrollment start and end dates (migration 0156), as launches and roster syncs write them (issue #21). */
describe('enrollment dates', () => {
  const database = useTestDatabase();

  const row = (tenantId: string, contextId: string, userId: string) =>
    database()
      .db.selectFrom('enrollment')
      .select(['status', 'enrolled_at', 'ended_at'])
      .where('tenant_id', '=', tenantId)
      .where('context_id', '=', contextId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();

  it('dates a new enrollment, ends it when a sync drops the learner, and keeps its start on re-enrolment', async () => {
    const { db } = database();
    const { world } = await insertCourseWorld(db, { seed: 156, learners: 2, modules: 1 });
    const people = createLtiPeopleRepository(db);
    const [stays, leaves] = world.learners;
    const at = { tenantId: world.tenantId, contextId: world.courseId };
    await db
      .deleteFrom('enrollment')
      .where('tenant_id', '=', world.tenantId)
      .where('user_id', '=', leaves!.userId)
      .execute();
    const enroll = () =>
      people.upsertEnrollment({
        ...at,
        userId: leaves!.userId,
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        roleKind: 'learner',
        source: 'launch',
      });
    await enroll();
    const first = await row(world.tenantId, world.courseId, leaves!.userId);
    assert.ok(first.enrolled_at instanceof Date, 'a launch dates the enrollment');
    assert.equal(first.ended_at, null);

    await people.deactivateOthers(world.tenantId, world.courseId, [stays!.userId], ['learner']);
    const ended = await row(world.tenantId, world.courseId, leaves!.userId);
    assert.equal(ended.status, 'inactive');
    assert.ok(ended.ended_at instanceof Date, 'the sync dates the end');
    assert.equal((await row(world.tenantId, world.courseId, stays!.userId)).ended_at, null);

    await enroll();
    const again = await row(world.tenantId, world.courseId, leaves!.userId);
    assert.equal(again.status, 'active');
    assert.equal(again.ended_at, null, 're-enrolment clears the end');
    assert.deepEqual(again.enrolled_at, first.enrolled_at, 'and keeps the first start');
  });

  it('leaves the start of an enrollment made before dates were kept unknown', async () => {
    const { db } = database();
    const { world } = await insertCourseWorld(db, { seed: 157, learners: 1, modules: 1 });
    await createLtiPeopleRepository(db).upsertEnrollment({
      tenantId: world.tenantId,
      contextId: world.courseId,
      userId: world.learners[0]!.userId,
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      roleKind: 'learner',
      source: 'launch',
    });
    assert.equal((await row(world.tenantId, world.courseId, world.learners[0]!.userId)).enrolled_at, null);
  });
});
