import assert from 'node:assert/strict';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices } from '../../../../src/services.js';
import { ANONYMOUS_HOME_PAGE, EXTENSIONS } from '../../../../src/learning/vocabulary.js';
import { insertWorldWithStatements } from '../../../fixtures/course-world.js';

describe('data-quality panel on statements with injected faults', function () {
  this.timeout(120000);
  const database = useTestDatabase();

  it('counts missing metadata, unknown actors, duplicates and learners with events as the statements say', async () => {
    const services = createServices({ db: database().db });
    const { world, statements } = await insertWorldWithStatements(
      database().db,
      services,
      { seed: 71, learners: 20, modules: 2 },
      { seed: 6, faults: { missingMetadata: 0.05, duplicates: 0.03, strangers: 0.02 } },
    );
    const q = await services.kpiReports.quality({ tenantId: world.tenantId, courseId: world.courseId });
    const missing = (key: string) => statements.filter((s) => !(key in s.context.extensions)).length;
    assert.equal(q.counts.statements, statements.length);
    assert.equal(q.counts.missingModuleVersion, missing(EXTENSIONS.moduleVersion));
    assert.equal(q.counts.missingAssignmentId, missing(EXTENSIONS.assignmentId));
    assert.equal(q.counts.missingCampaignId, missing(EXTENSIONS.campaignId));
    const known = new Set([...world.learners, ...world.managers].map((l) => l.sub));
    const strangers = statements.filter(
      (s) => s.actor.account.homePage !== ANONYMOUS_HOME_PAGE && !known.has(s.actor.account.name),
    );
    assert.ok(strangers.length > 0);
    assert.equal(q.counts.unmatchedActorStatements, strangers.length);
    assert.equal(q.counts.unmatchedActors, new Set(strangers.map((s) => s.actor.account.name)).size);
    const key = (s: (typeof statements)[number]) =>
      JSON.stringify([s.actor.account, s.verb.id, s.object.id, s.context.registration ?? null, s.timestamp]);
    const seen = new Map<string, number>();
    for (const s of statements) seen.set(key(s), (seen.get(key(s)) ?? 0) + 1);
    const duplicates = [...seen.values()].reduce((n, c) => n + c - 1, 0);
    assert.ok(duplicates > 0);
    assert.equal(q.counts.duplicateStatements, duplicates);
    const active = new Set(
      statements.map((s) => s.actor.account.name).filter((n) => world.learners.some((l) => l.sub === n)),
    );
    assert.equal(q.counts.learnersWithEvents, active.size);
    assert.equal(q.counts.enrolledLearners, 20);
    // The generator follows the capture rules: no session stores more time than it spanned.
    assert.ok(q.counts.endedSessions > 0);
    assert.equal(q.counts.overlongSessions, 0);
    const byName = new Map(q.checks.map((c) => [c.name, c]));
    assert.equal(
      byName.get('Statements without module_version')!.ok,
      missing(EXTENSIONS.moduleVersion) / statements.length <= 0.02,
    );
  });
});
