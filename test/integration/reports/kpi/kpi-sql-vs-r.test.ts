import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices } from '../../../../src/services.js';
import { isoDuration } from '../../../../src/xapi/rules/data-types/duration.js';
import { captureStatement, insertCourseWorld, storeStatements } from '../../../fixtures/course-world.js';
import type { CaptureStatement } from '../../../../src/dev/synthetic/capture-statements.js';

interface Golden {
  input: {
    seconds: number[];
    completed: boolean[];
    outcome: ('passed' | 'failed' | 'none')[];
    pre: number[];
    post: number[];
    questions: number;
    single_seconds: number[];
  };
  expected: {
    median_minutes: number;
    p90_minutes: number;
    completion: { successes: number; trials: number; lower: number; upper: number };
    mastery: { successes: number; trials: number; lower: number; upper: number };
    paired: { mean: number; lower: number; upper: number };
    class_gain: number;
    single_median_minutes: number;
  };
}

const golden = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../../fixtures/golden/kpi/kpi-sql.json'), 'utf8'),
) as Golden;

const near = (a: number | null | undefined, b: number, what: string) =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= 1e-8, `${what}: ${a} vs R ${b}`);

describe('course report SQL against R (test/fixtures/r/kpi-sql.R)', function () {
  this.timeout(60000);
  const database = useTestDatabase();

  it('gives R type-7 quantiles with ties, Wilson and paired t intervals, and a single learner', async () => {
    const { db } = database();
    const services = createServices({
      db,
      reports: {
        settings: {
          minimumGroupSize: 1,
          campaignWindowDays: 14,
          quality: { maxNullRate: 0, learnerTolerance: 1 },
        },
      },
    });
    const { world, tenantName } = await insertCourseWorld(db, { seed: 51, learners: 9, modules: 2 });
    const [a, b] = world.modules;
    const g = golden.input;
    const statements: CaptureStatement[] = [];
    g.seconds.forEach((seconds, i) => {
      const who = world.learners[i]!;
      const registration = randomUUID();
      const at = (min: number) => new Date(world.start.getTime() + i * 3600000 + min * 60000).toISOString();
      const s = (
        verb: Parameters<typeof captureStatement>[3],
        o: Parameters<typeof captureStatement>[4] = {},
      ) => statements.push(captureStatement(world, who, a!.id, verb, { registration, ...o }));
      s('launched', { timestamp: at(0) });
      for (let q = 0; q < g.questions; q++) {
        s('answered', {
          item: { phase: 'pre', id: `k-q${q + 1}` },
          result: { response: 'a', success: q < g.pre[i]! },
          timestamp: at(1),
        });
        s('answered', {
          item: { phase: 'post', id: `k-q${q + 1}` },
          result: { response: 'a', success: q < g.post[i]! },
          timestamp: at(2),
        });
      }
      if (g.outcome[i] !== 'none')
        s(g.outcome[i] as 'passed' | 'failed', {
          result: { success: g.outcome[i] === 'passed' },
          timestamp: at(3),
        });
      if (g.completed[i]) s('completed', { timestamp: at(4) });
      s('terminated', { result: { duration: isoDuration(seconds) }, timestamp: at(5) });
    });
    const single = world.learners[0]!;
    statements.push(
      captureStatement(world, single, b!.id, 'terminated', {
        result: { duration: isoDuration(g.single_seconds[0]!) },
      }),
    );
    await storeStatements(services, tenantName, statements);

    const report = await services.kpiReports.build({ tenantId: world.tenantId, courseId: world.courseId });
    const ma = report.modules.find((m) => m.module.id === a!.id)!;
    const e = golden.expected;
    near(ma.time!.medianMinutes, e.median_minutes, 'median');
    near(ma.time!.p90Minutes, e.p90_minutes, 'p90');
    assert.equal(ma.mastery.status, 'shown');
    if (ma.mastery.status === 'shown') {
      assert.deepEqual([ma.mastery.successes, ma.mastery.trials], [e.mastery.successes, e.mastery.trials]);
      near(ma.mastery.lower, e.mastery.lower, 'mastery lower');
      near(ma.mastery.upper, e.mastery.upper, 'mastery upper');
    }
    near(ma.scores.paired!.mean, e.paired.mean, 'paired mean');
    near(ma.scores.paired!.lower, e.paired.lower, 'paired lower');
    near(ma.scores.paired!.upper, e.paired.upper, 'paired upper');
    near(ma.scores.gain!.classAverageGain, e.class_gain, 'class gain');
    const mb = report.modules.find((m) => m.module.id === b!.id)!;
    near(mb.time!.medianMinutes, e.single_median_minutes, 'single median');
    near(mb.time!.p90Minutes, e.single_median_minutes, 'single p90');

    assert.equal(report.assigned, 9);
    assert.equal(ma.completion.status, 'shown');
    if (ma.completion.status === 'shown') {
      assert.deepEqual(
        [ma.completion.successes, ma.completion.trials],
        [e.completion.successes, e.completion.trials],
      );
      near(ma.completion.lower, e.completion.lower, 'completion lower');
      near(ma.completion.upper, e.completion.upper, 'completion upper');
    }
    assert.equal(mb.scores.pairs, 0);
  });
});
