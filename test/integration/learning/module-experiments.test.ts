import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';
import { ConflictError, ValidationError } from '../../../src/errors.js';
import { allocateArm } from '../../../src/learning/experiments/arm-allocation.js';
import { wilsonInterval } from '../../../src/reports/stats/wilson.js';
import { meanDifference, proportionDifference } from '../../../src/reports/stats/two-sample.js';
import { onePageContent } from '../../fixtures/modules.js';
import { moduleStatement, storeStatements } from '../../fixtures/module-statements.js';

describe('content A/B experiments (real PostgreSQL, statements through the LRS)', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;

  async function publishedModule(title: string, versions: number): Promise<string> {
    const m = await services.modules.create(tenantId, { title });
    for (let v = 1; v <= versions; v++) {
      await services.modules.saveDraft(tenantId, m.id, onePageContent(`version ${v}`));
      await services.modules.publish(tenantId, m.id);
    }
    return m.id;
  }

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await services.tenants.create('Experiment Co')).id;
  });

  it('assigns a learner once, deterministically from the recorded seed, and stores the arm', async () => {
    const moduleId = await publishedModule('Assignment', 2);
    const e = await services.moduleExperiments.create(tenantId, moduleId, {
      name: 'Order of pages',
      armAVersion: 1,
      armBVersion: 2,
      seed: 42,
    });
    assert.equal(e.seed, 42);
    const first = await services.moduleExperiments.assignArm(tenantId, { experimentId: e.id }, 'user-1');
    const again = await services.moduleExperiments.assignArm(tenantId, { moduleId }, 'user-1');
    assert.equal(first.arm, allocateArm(42, e.id, 'user-1', 0.5));
    assert.deepEqual(again, first);
    assert.equal(first.version, first.arm === 'A' ? 1 : 2);
    await assert.rejects(
      sql`INSERT INTO module_experiment_assignment (tenant_id, experiment_id, learner_key, arm, version)
          VALUES (${tenantId}, ${e.id}, 'user-1', 'B', 2)`.execute(testDb().db),
      /duplicate key/,
    );
    const arms = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        services.moduleExperiments.versionForLearner(tenantId, moduleId, `learner-${i}`),
      ),
    );
    const inA = arms.filter((a) => a.arm === 'A').length;
    assert.ok(inA > 5 && inA < 35, `both arms get learners (A: ${inA} of 40)`);
    for (const a of arms) assert.equal(a.version.version, a.arm === 'A' ? 1 : 2);
  });

  it('gives the newest published version when no experiment runs, and after it stops', async () => {
    const moduleId = await publishedModule('No experiment', 3);
    assert.equal(
      (await services.moduleExperiments.versionForLearner(tenantId, moduleId, 'x')).version.version,
      3,
    );
    const e = await services.moduleExperiments.create(tenantId, moduleId, {
      name: 'Old vs new',
      armAVersion: 1,
      armBVersion: 2,
    });
    const during = await services.moduleExperiments.versionForLearner(tenantId, moduleId, 'x');
    assert.equal(during.experimentId, e.id);
    assert.ok([1, 2].includes(during.version.version));
    await services.moduleExperiments.stop(tenantId, e.id);
    const after = await services.moduleExperiments.versionForLearner(tenantId, moduleId, 'x');
    assert.deepEqual([after.version.version, after.arm], [3, undefined]);
  });

  it('refuses arms that are not two different published versions, and a second running experiment', async () => {
    const moduleId = await publishedModule('Validation', 2);
    await services.modules.saveDraft(tenantId, moduleId, onePageContent('draft'));
    await assert.rejects(
      services.moduleExperiments.create(tenantId, moduleId, { name: 'x', armAVersion: 1, armBVersion: 3 }),
      (err: unknown) => err instanceof ValidationError && err.details[0]!.path === 'armBVersion',
    );
    await assert.rejects(
      services.moduleExperiments.create(tenantId, moduleId, { name: 'x', armAVersion: 2, armBVersion: 2 }),
      ValidationError,
    );
    await services.moduleExperiments.create(tenantId, moduleId, {
      name: 'first',
      armAVersion: 1,
      armBVersion: 2,
    });
    await assert.rejects(
      services.moduleExperiments.create(tenantId, moduleId, {
        name: 'second',
        armAVersion: 2,
        armBVersion: 1,
      }),
      ConflictError,
    );
  });

  it('compares completion, mastery and post-test scores per arm from the stored statements', async () => {
    const moduleId = await publishedModule('Results', 3);
    const otherModule = await publishedModule('Elsewhere', 1);
    const s = (
      learner: string,
      verb: Parameters<typeof moduleStatement>[3],
      version: number,
      scaled?: number,
    ) => moduleStatement(tenantId, moduleId, learner, verb, version, scaled);
    // Before the experiment starts: not counted.
    await storeStatements(services, 'Experiment Co', [s('early', 'launched', 1), s('early', 'completed', 1)]);
    const e = await services.moduleExperiments.create(tenantId, moduleId, {
      name: 'Results',
      armAVersion: 1,
      armBVersion: 2,
      seed: 7,
    });
    const armA = [
      ['a1', true, 'passed', 0.9],
      ['a2', true, 'failed', 0.5],
      ['a3', false, 'failed', 0.4],
      ['a4', false, null, null],
    ] as const;
    const armB = [
      ['b1', true, 'passed', 0.95],
      ['b2', true, 'passed', 0.85],
      ['b3', true, 'passed', 0.8],
      ['b4', false, 'failed', 0.6],
      ['b5', true, null, null],
    ] as const;
    const statements: Record<string, unknown>[] = [];
    for (const [rows, version] of [
      [armA, 1],
      [armB, 2],
    ] as const) {
      for (const [learner, completed, outcome, scaled] of rows) {
        statements.push(s(learner, 'launched', version), s(learner, 'initialized', version));
        if (outcome) statements.push(s(learner, outcome, version, scaled!));
        if (completed) statements.push(s(learner, 'completed', version));
      }
    }
    // A retake after the first score: only the first scored attempt counts.
    statements.push(s('a2', 'passed', 1, 1));
    // Not counted: another version, another module.
    statements.push(s('c1', 'launched', 3), s('c1', 'passed', 3, 1));
    statements.push(moduleStatement(tenantId, otherModule, 'a1', 'failed', 1, 0.1));
    await storeStatements(services, 'Experiment Co', statements);

    const r = await services.moduleExperiments.results(tenantId, e.id);
    const [a, b] = r.arms;
    assert.deepEqual([a.learners, a.completed, a.passed, a.scores.n], [4, 2, 1 + 1, 3]);
    assert.deepEqual([b.learners, b.completed, b.passed, b.scores.n], [5, 4, 3, 4]);
    assert.deepEqual(a.completion, wilsonInterval(2, 4));
    assert.deepEqual(b.mastery, wilsonInterval(3, 5));
    assert.deepEqual(r.completionDifference, proportionDifference(4, 5, 2, 4));
    assert.deepEqual(r.masteryDifference, proportionDifference(3, 5, 2, 4));
    assert.deepEqual(r.scoreDifference, meanDifference([0.95, 0.85, 0.8, 0.6], [0.9, 0.5, 0.4]));
    assert.ok(Math.abs(a.scores.mean! - 0.6) < 1e-12);
    assert.deepEqual(r.notes, []);
  });

  it('explains, instead of an interval, when an arm has too few scored learners', async () => {
    const moduleId = await publishedModule('Too few', 2);
    const e = await services.moduleExperiments.create(tenantId, moduleId, {
      name: 'Small',
      armAVersion: 1,
      armBVersion: 2,
    });
    await storeStatements(services, 'Experiment Co', [
      moduleStatement(tenantId, moduleId, 'only', 'passed', 1, 0.9),
    ]);
    const r = await services.moduleExperiments.results(tenantId, e.id);
    assert.equal(r.arms[0].learners, 1);
    assert.equal(r.scoreDifference, null);
    assert.equal(r.completionDifference, null);
    assert.equal(r.notes.length, 2);
  });
});
