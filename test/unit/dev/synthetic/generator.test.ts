import assert from 'node:assert/strict';
import { generateDataset } from '../../../../src/dev/synthetic/dataset.js';
import { generateStatements, VERBS } from '../../../../src/dev/synthetic/statements.js';
import { validateStatement } from '../../../../src/xapi/rules/index.js';
import { generateCourseWorld } from '../../../../src/dev/synthetic/course-world.js';
import { generateCaptureStatements } from '../../../../src/dev/synthetic/capture-statements.js';
import { ANONYMOUS_HOME_PAGE, CATEGORIES, EXTENSIONS, iri } from '../../../../src/learning/vocabulary.js';

const small = { seed: 7, tenants: 2, coursesPerTenant: 2, learnersPerCourse: 12, modulesPerCourse: 3 };

describe('the synthetic data generator', () => {
  it('produces the same data set and statements for the same seed', () => {
    const a = generateDataset(small);
    const b = generateDataset(small);
    assert.deepEqual(a, b);
    const sa = [
      ...generateStatements(a.tenants[0]!, { seed: 1, start: a.tenants[0]!.programs[0]!.launchDate }),
    ];
    const sb = [
      ...generateStatements(b.tenants[0]!, { seed: 1, start: b.tenants[0]!.programs[0]!.launchDate }),
    ];
    assert.deepEqual(sa, sb);
  });

  it('produces different data for different seeds', () => {
    assert.notDeepEqual(generateDataset(small), generateDataset({ ...small, seed: 8 }));
  });

  it('splits every program into disjoint treatment and control cohorts covering its learners', () => {
    const { tenants } = generateDataset(small);
    for (const program of tenants.flatMap((t) => t.programs)) {
      const [treatment, control] = program.cohorts;
      const overlap = treatment!.learnerSubs.filter((s) => control!.learnerSubs.includes(s));
      assert.deepEqual(overlap, []);
      assert.equal(treatment!.learnerSubs.length + control!.learnerSubs.length, small.learnersPerCourse);
    }
  });

  it('writes statements that pass the xAPI 1.0.3 and 2.0 validators', () => {
    const { tenants } = generateDataset(small);
    const statements = [
      ...generateStatements(tenants[0]!, { seed: 3, start: new Date('2026-02-02T00:00:00Z') }),
    ];
    assert.ok(statements.length > 200, `only ${statements.length} statements`);
    for (const s of statements.slice(0, 400)) {
      for (const version of ['1.0.3', '2.0.0'] as const) {
        const result = validateStatement(JSON.parse(JSON.stringify(s)), { version });
        assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
      }
    }
  });

  it('gives plausible shapes: post-test beats pre-test on average, most attempts terminate', () => {
    const { tenants } = generateDataset({ ...small, learnersPerCourse: 60 });
    const statements = [
      ...generateStatements(tenants[0]!, { seed: 5, start: new Date('2026-02-02T00:00:00Z') }),
    ];
    const count = (verb: string) => statements.filter((s) => s.verb.id === verb).length;
    const launched = count(VERBS.launched);
    assert.ok(
      count(VERBS.terminated) / launched > 0.85 && count(VERBS.terminated) < launched,
      'some but few abandoned',
    );
    const rate = (phase: string) => {
      const answers = statements.filter(
        (s) => s.verb.id === VERBS.answered && s.object.id.includes(`/${phase}-test/`),
      );
      return answers.filter((s) => s.result!.success).length / answers.length;
    };
    assert.ok(rate('post') > rate('pre') + 0.05, `pre ${rate('pre')} post ${rate('post')}`);
    const timestamps = statements.map((s) => Date.parse(s.timestamp));
    assert.ok(timestamps.every((t) => Number.isFinite(t)));
  });
});

describe('the capture-contract generator (course worlds)', () => {
  const world = generateCourseWorld({
    seed: 3,
    tenantId: '00000000-0000-4000-8000-000000000001',
    platformId: '00000000-0000-4000-8000-000000000002',
    learners: 60,
    modules: 2,
  });
  const statements = [...generateCaptureStatements(world, { seed: 4 })];

  it('writes statements that pass the xAPI 1.0.3 and 2.0 validators', () => {
    for (const s of statements) {
      for (const version of ['1.0.3', '2.0.0'] as const) {
        const result = validateStatement(JSON.parse(JSON.stringify(s)), { version });
        assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
      }
    }
  });

  it('uses the contract: iri builders, extensions, anonymous survey actors, estimated durations', () => {
    const moduleIri = iri.module(world.tenantId, world.modules[0]!.id);
    assert.ok(statements.some((s) => s.object.id === moduleIri));
    assert.ok(
      statements.every((s) =>
        s.context.contextActivities.grouping!.some(
          (g) => g.id === iri.course(world.tenantId, world.courseId),
        ),
      ),
    );
    assert.ok(statements.every((s) => typeof s.context.extensions[EXTENSIONS.sessionId] === 'string'));
    assert.ok(statements.every((s) => Number.isInteger(s.context.extensions[EXTENSIONS.moduleVersion])));
    const anonymous = statements.filter((s) => s.actor.account.homePage === ANONYMOUS_HOME_PAGE);
    assert.ok(anonymous.length > 0);
    // As the learner flow writes them: a registration and session of the response's own, never the attempt's.
    const registrations = new Set(
      statements
        .filter((s) => s.actor.account.homePage !== ANONYMOUS_HOME_PAGE)
        .map((s) => s.context.registration),
    );
    assert.ok(
      anonymous.every(
        (s) =>
          typeof s.context.registration === 'string' &&
          !registrations.has(s.context.registration) &&
          s.actor.name === undefined,
      ),
    );
    assert.ok(
      statements.some(
        (s) =>
          s.verb.id === VERBS.abandoned &&
          (s.result!.extensions as Record<string, unknown>)[EXTENSIONS.durationEstimated] === true,
      ),
    );
    assert.ok(statements.some((s) => s.verb.id === VERBS.progressed));
    assert.ok(statements.some((s) => s.context.extensions[EXTENSIONS.observedLearner] !== undefined));
    const nps = statements.filter((s) => s.object.id.endsWith('/survey/recommend'));
    assert.ok(nps.length > 0 && nps.every((s) => /^(10|\d)$/.test(s.result!.response as string)));
  });

  it('builds statements as the learner flow does: cmi5 moveOn category, launch data, question names', () => {
    const moduleIri = iri.module(world.tenantId, world.modules[0]!.id);
    const launched = statements.find((s) => s.verb.id === VERBS.launched && s.object.id === moduleIri)!;
    assert.equal(launched.context.extensions[EXTENSIONS.moveOn], 'CompletedAndPassed');
    const passed = statements.find((s) => s.verb.id === VERBS.passed)!;
    assert.deepEqual(
      passed.context.contextActivities.category!.map((a) => a.id),
      [CATEGORIES.cmi5, CATEGORIES.moveOn],
    );
    const answer = statements.find((s) => s.object.id.includes('/pre-test/'))!;
    assert.ok((answer.object.definition!.name as Record<string, string>)['en-US']);
  });

  it('never writes a session duration longer than the session, and caps idle gaps as the flow does', () => {
    const seconds = (d: string) => {
      const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(d)!;
      return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    };
    const launchedAt = new Map<unknown, number>();
    for (const s of statements)
      if (s.verb.id === VERBS.launched)
        launchedAt.set(s.context.extensions[EXTENSIONS.sessionId], Date.parse(s.timestamp));
    const ends = statements.filter((s) => s.verb.id === VERBS.terminated || s.verb.id === VERBS.abandoned);
    assert.ok(ends.length > 50);
    let estimated = 0;
    for (const s of ends) {
      const start = launchedAt.get(s.context.extensions[EXTENSIONS.sessionId])!;
      const span = (Date.parse(s.timestamp) - start) / 1000;
      const duration = seconds(s.result!.duration as string);
      assert.ok(duration <= span + 0.01, `${s.result!.duration} for a session of ${span} s`);
      const flagged = (s.result!.extensions as Record<string, unknown> | undefined)?.[
        EXTENSIONS.durationEstimated
      ];
      if (flagged && s.verb.id === VERBS.terminated) {
        estimated++;
        // An idle gap counts as the 300 s cap, so the session lasted well beyond its duration.
        assert.ok(span - duration > 15 * 60, `${duration} s of ${span} s`);
      }
    }
    assert.ok(estimated > 0, 'some sessions had an idle gap');
  });

  it('is deterministic for a seed', () => {
    assert.deepEqual([...generateCaptureStatements(world, { seed: 4 })], statements);
  });
});
