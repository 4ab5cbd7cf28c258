import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices } from '../../../../src/services.js';
import { ANONYMOUS_HOME_PAGE, EXTENSIONS } from '../../../../src/learning/vocabulary.js';
import { createKpiRepository } from '../../../../src/storage/repositories/kpi-repository.js';
import {
  createKpiReportService,
  type KpiReport,
  PRIMARY_SOURCE,
} from '../../../../src/reports/kpi/kpi-report-service.js';
import { DEFAULT_KPI_SETTINGS } from '../../../../src/reports/kpi/kpi-settings.js';
import type { AttemptPolicy, DenominatorRule } from '../../../../src/cohorts/model.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';
import type { CourseWorld } from '../../../../src/dev/synthetic/course-world.js';
import {
  captureStatement,
  insertCourseWorld,
  storeStatements,
  voidingStatements,
} from '../../../fixtures/course-world.js';
import type { CaptureStatement } from '../../../../src/dev/synthetic/capture-statements.js';
import { surveyTable } from '../../../../src/web/presenters/kpi-tables.js';

/**
 * A small world built to tell the KPI rules apart (issue #21): eight assigned learners of one module,
 * each with a history that one rule counts and another does not.
 *
 * | learner | story | pre | post attempts (verdict) |
 * | --- | --- | --- | --- |
 * | failPass | fails, then passes | 50% | 25% F, 100% P |
 * | passFail | passes, then fails; retakes the pre-test higher | 25% (then 75%) | 75% P, 50% F |
 * | withdrawn | completes, passes, then withdraws; answers the anonymous survey | 50% | 75% P |
 * | ceiling | 100% on the pre-test | 100% | 100% P |
 * | resumed | abandons a session, resumes, completes | | |
 * | voided | launches; their completion is voided | | |
 * | never | assigned, never starts | | |
 * | failFailPass | fails twice, then passes | 25% | 25% F, 50% F, 100% P |
 */
describe('KPI definitions in a world built to tell the rules apart', () => {
  const database = useTestDatabase();
  let world: CourseWorld;
  let moduleId: string;
  const cast = ['failPass', 'passFail', 'withdrawn', 'ceiling', 'resumed', 'voided', 'never', 'failFailPass'];
  const who = (name: string) => world.learners[cast.indexOf(name)]!;

  const service = () =>
    createKpiReportService({
      kpis: createKpiRepository(database().db),
      settings: { ...DEFAULT_KPI_SETTINGS, minimumGroupSize: 1 },
      source: PRIMARY_SOURCE,
    });
  const course = (attemptPolicy: AttemptPolicy, denominator: DenominatorRule = 'assigned'): KpiScope => ({
    tenantId: world.tenantId,
    courseId: world.courseId,
    rules: { attemptPolicy, denominator },
  });
  const mod = (r: KpiReport) => r.modules.find((m) => m.module.id === moduleId)!;
  const rate = (r: KpiReport, which: 'completion' | 'mastery') => {
    const x = mod(r)[which];
    return x.status === 'shown' ? `${x.successes}/${x.trials}` : x.status;
  };

  before(async function () {
    this.timeout(60000);
    const { db } = database();
    const services = createServices({ db });
    const inserted = await insertCourseWorld(db, { seed: 21, learners: cast.length, modules: 1 });
    world = inserted.world;
    moduleId = world.modules[0]!.id;
    const day = (d: number, minutes = 0) =>
      new Date(world.start.getTime() + d * 86_400_000 + minutes * 60_000).toISOString();
    const s: CaptureStatement[] = [];
    const registrations = new Map<string, string>();
    const add = (
      name: string,
      verb: Parameters<typeof captureStatement>[3],
      at: string,
      options: Parameters<typeof captureStatement>[4] = {},
    ) => {
      const x = captureStatement(world, who(name), moduleId, verb, { ...options, timestamp: at });
      s.push(x);
      return x;
    };
    /** One test attempt: four answers, `correct` of them right, then the post-test's verdict. */
    const attempt = (name: string, phase: 'pre' | 'post', correct: number, d: number) => {
      const registration = randomUUID();
      registrations.set(`${name} ${phase} ${d}`, registration);
      for (let q = 0; q < 4; q++)
        add(name, 'answered', day(d, q), {
          registration,
          item: { phase, id: `${phase}-q${q + 1}` },
          result: { success: q < correct, response: 'a' },
        });
      if (phase === 'post') {
        const passed = correct / 4 >= 0.75;
        add(name, passed ? 'passed' : 'failed', day(d, 5), {
          registration,
          result: { success: passed, score: { scaled: correct / 4, raw: correct, min: 0, max: 4 } },
        });
      }
    };
    for (const name of cast.filter((n) => n !== 'never')) add(name, 'launched', day(1));
    attempt('failPass', 'pre', 2, 1);
    attempt('failPass', 'post', 1, 2);
    attempt('failPass', 'post', 4, 3);
    attempt('passFail', 'pre', 1, 1);
    attempt('passFail', 'pre', 3, 2);
    attempt('passFail', 'post', 3, 3);
    attempt('passFail', 'post', 2, 4);
    attempt('withdrawn', 'pre', 2, 1);
    attempt('withdrawn', 'post', 3, 2);
    attempt('ceiling', 'pre', 4, 1);
    attempt('ceiling', 'post', 4, 2);
    attempt('failFailPass', 'pre', 1, 1);
    attempt('failFailPass', 'post', 1, 2);
    attempt('failFailPass', 'post', 2, 3);
    attempt('failFailPass', 'post', 4, 4);
    for (const name of ['failPass', 'passFail', 'withdrawn', 'ceiling', 'failFailPass'])
      add(name, 'completed', day(5));
    /** Puts statements in one session and attempt (captureStatement gives each its own), as capture does. */
    const session = (...xs: CaptureStatement[]) => {
      const id = randomUUID();
      const registration = randomUUID();
      for (const x of xs) {
        x.context.extensions[EXTENSIONS.sessionId] = id;
        x.context.registration = registration;
      }
    };
    // Resumed: a session abandoned after 5 minutes, a second launch the next week, 10 minutes more, completed.
    session(
      s.find((x) => x.actor.account.name === who('resumed').sub)!,
      add('resumed', 'abandoned', day(1, 5), { result: { duration: 'PT5M' } }),
    );
    session(
      add('resumed', 'launched', day(8)),
      add('resumed', 'completed', day(8, 10)),
      add('resumed', 'terminated', day(8, 10), { result: { duration: 'PT10M' } }),
    );
    const voidedCompletion = add('voided', 'completed', day(2));
    // A session of 15 minutes that stores 30: time on task counts 15, the data-quality panel flags it.
    session(
      add('voided', 'launched', day(3)),
      add('voided', 'terminated', day(3, 15), { result: { duration: 'PT30M' } }),
    );
    // Two anonymous survey responses (fresh actors): one of them from the learner who later withdraws.
    for (const level of ['4', '5']) {
      const answer = add('withdrawn', 'answered', day(5), {
        item: { phase: 'survey', id: 'useful' },
        result: { response: level },
      });
      answer.actor = {
        objectType: 'Agent',
        account: { homePage: ANONYMOUS_HOME_PAGE, name: randomUUID() },
      };
    }
    // An anonymous answer to an item that the newest version (2) no longer has, given in version 1.
    add('ceiling', 'answered', day(5), {
      item: { phase: 'survey', id: 'clear' },
      result: { response: '3' },
    }).actor = { objectType: 'Agent', account: { homePage: ANONYMOUS_HOME_PAGE, name: randomUUID() } };
    // Two verdicts that must not count: withdrawn's `failed` at the time of their `passed` but stored before
    // it (the later seq wins the tie), and failPass's later `passed` of their failed attempt, voided below.
    const verdict = (name: string, verb: 'passed' | 'failed', registration: string, at: string) =>
      captureStatement(world, who(name), moduleId, verb, {
        registration,
        timestamp: at,
        result: { success: verb === 'passed', score: { scaled: 0.5, raw: 2, min: 0, max: 4 } },
      });
    await storeStatements(services, inserted.tenantName, [
      verdict('withdrawn', 'failed', registrations.get('withdrawn post 2')!, day(2, 5)),
    ]);
    const voidedVerdict = verdict('failPass', 'passed', registrations.get('failPass post 2')!, day(2, 6));
    s.push(voidedVerdict);
    await storeStatements(services, inserted.tenantName, s);
    // A newer version (3) drops that item, rewords `useful` and is no longer anonymous: the answers above
    // were given before it; failPass answers `useful` in version 3, by name.
    await sql`
      INSERT INTO module_version (tenant_id, module_id, version, status, content, published_at)
      SELECT tenant_id, module_id, 3, 'published',
             jsonb_set(
               jsonb_set(content::jsonb, '{survey,anonymous}', 'false'),
               '{survey,items}',
               (SELECT jsonb_agg(CASE WHEN i ->> 'id' = 'useful'
                                      THEN jsonb_set(i, '{prompt}', '"The module was worth my time"') ELSE i END)
                FROM jsonb_array_elements(content::jsonb #> '{survey,items}') i
                WHERE i ->> 'id' <> 'clear')),
             now()
      FROM module_version
      WHERE tenant_id = ${world.tenantId} AND module_id = ${moduleId} AND version = 2`.execute(db);
    await storeStatements(services, inserted.tenantName, [
      captureStatement(world, who('failPass'), moduleId, 'answered', {
        item: { phase: 'survey', id: 'useful' },
        result: { response: '2' },
        timestamp: day(5, 30),
        version: 3,
      }),
    ]);
    await storeStatements(
      services,
      inserted.tenantName,
      voidingStatements([voidedCompletion.id, voidedVerdict.id]),
    );
    // The withdrawal: the LMS ends the enrollment after the learner completed.
    await sql`
      UPDATE enrollment SET status = 'inactive'
      WHERE tenant_id = ${world.tenantId} AND context_id = ${world.courseId}
        AND user_id = ${who('withdrawn').userId}`.execute(db);
  });

  describe('denominators', () => {
    it('keeps the withdrawn learner under intention to treat and counts them as withdrawn', async () => {
      const r = await service().build(course('first'));
      assert.equal(r.assigned, 8);
      assert.equal(r.withdrawn, 1);
      assert.equal(rate(r, 'completion'), '6/8');
    });

    it('leaves the withdrawn learner out of numerator and denominator as enrolled now, still counted apart', async () => {
      const r = await service().build(course('first', 'enrolled-now'));
      assert.equal(r.assigned, 7);
      assert.equal(r.withdrawn, 1);
      assert.equal(rate(r, 'completion'), '5/7');
    });

    it('counts as of the end of the range the learners enrolled before it, withdrawn ones included', async () => {
      const { db } = database();
      const enrolledAt = (at: Date | null) =>
        sql`UPDATE enrollment SET enrolled_at = ${at}
            WHERE tenant_id = ${world.tenantId} AND context_id = ${world.courseId}
              AND user_id IN (${who('never').userId}, ${who('withdrawn').userId})`.execute(db);
      // `never` and `withdrawn` were enrolled on day 3; the range ends at the start of day 2 or of day 9.
      const midnight = (d: number) =>
        new Date(Math.floor(world.start.getTime() / 86_400_000 + d) * 86_400_000);
      await enrolledAt(new Date(world.start.getTime() + 3 * 86_400_000));
      try {
        const before = await service().build({ ...course('first'), to: midnight(2) });
        assert.deepEqual([before.assigned, before.withdrawn], [6, 0]);
        const after = await service().build({ ...course('first'), to: midnight(9) });
        assert.deepEqual([after.assigned, after.withdrawn, rate(after, 'completion')], [8, 1, '6/8']);
        const now = await service().build({ ...course('first', 'enrolled-now'), to: midnight(2) });
        assert.deepEqual([now.assigned, now.withdrawn], [6, 0]);
        assert.equal(
          await createKpiRepository(db).rosterSize({
            ...course('first'),
            to: new Date(midnight(2).getTime() + 1),
          }),
          6,
          'the facts path too',
        );
      } finally {
        await enrolledAt(null);
      }
    });

    it('counts a voided completion as never sent, and a resumed module once', async () => {
      const r = await service().build(course('first'));
      // Launched: everyone but `never`; completed: not `voided`.
      assert.equal(mod(r).started, 7);
      assert.equal(rate(r, 'completion'), '6/8');
    });
  });

  describe('started', () => {
    it('counts a module resumed in a later week as started once, in the week of its first launch', async () => {
      const r = await service().build(course('first'));
      const weeks = Object.fromEntries(r.weekly.map((w) => [w.week, w]));
      assert.equal(weeks['2026-01-05']!.started, 7);
      assert.equal(weeks['2026-01-12']!.started, 0);
      assert.equal(weeks['2026-01-12']!.active, 1);
      assert.equal(weeks['2026-01-12']!.completed, 1);
      const facts = await service().build({ ...course('first'), from: new Date(world.start.getTime() + 1) });
      assert.deepEqual(facts.weekly, r.weekly, 'the facts path agrees');
    });
  });

  describe('attempt policy', () => {
    const expected: Record<AttemptPolicy, { mastery: string; masteryNow: string; post: number }> = {
      // first: failPass F, passFail P, withdrawn P, ceiling P, failFailPass F.
      first: { mastery: '3/5', masteryNow: '2/4', post: 60 },
      // best: everyone passed some attempt.
      best: { mastery: '5/5', masteryNow: '4/4', post: 90 },
      // latest: passFail's last attempt failed.
      latest: { mastery: '4/5', masteryNow: '3/4', post: 85 },
    };
    for (const policy of ['first', 'best', 'latest'] as const) {
      it(`counts mastery and the post mean by the ${policy} completed attempt`, async () => {
        const all = await service().build(course(policy));
        assert.equal(rate(all, 'mastery'), expected[policy].mastery);
        assert.equal(mod(all).scores.pairs, 5);
        assert.ok(Math.abs(mod(all).scores.prePercentMean! - 50) < 1e-9, 'pre: first attempts');
        assert.ok(Math.abs(mod(all).scores.postPercentMean! - expected[policy].post) < 1e-9);
        const now = await service().build(course(policy, 'enrolled-now'));
        assert.equal(rate(now, 'mastery'), expected[policy].masteryNow);
      });
    }

    it('reads the moments and mastery counts in one pass as it reads them apart', async () => {
      const repo = createKpiRepository(database().db);
      const rounded = (x: unknown) =>
        JSON.parse(JSON.stringify(x), (_k, v: unknown) =>
          typeof v === 'number' ? Number(v.toFixed(12)) : v,
        );
      for (const policy of ['first', 'best', 'latest'] as const) {
        const scope = course(policy);
        assert.deepEqual(
          rounded(await repo.moduleOutcomes(scope)),
          rounded({ moments: await repo.scoreMoments(scope), mastery: await repo.masteryCounts(scope) }),
          policy,
        );
      }
    });

    it('reads the same outcomes from the attempt rollup as from the facts, for every policy and range', async () => {
      const repo = createKpiRepository(database().db);
      const rounded = (x: unknown) =>
        JSON.parse(JSON.stringify(x), (_k, v: unknown) =>
          typeof v === 'number' ? Number(v.toFixed(12)) : v,
        );
      const outcomes = async (scope: KpiScope) =>
        rounded({
          pairs: await repo.scorePairs(scope),
          moments: await repo.scoreMoments(scope),
          mastery: await repo.masteryCounts(scope),
          both: await repo.moduleOutcomes(scope),
        });
      // Ranges of whole UTC days read the rollup; the same ranges one millisecond earlier read the facts
      // (nothing happens in that millisecond). From day 3 cuts failPass's and failFailPass's first attempts off.
      const midnight = (d: number) => Math.floor(world.start.getTime() / 86_400_000 + d) * 86_400_000;
      const ranges: [number | undefined, number | undefined][] = [
        [undefined, undefined],
        [midnight(3), undefined],
        [midnight(0), midnight(4)],
      ];
      for (const policy of ['first', 'best', 'latest'] as const)
        for (const [from, to] of ranges) {
          const days = {
            ...course(policy),
            from: from ? new Date(from) : undefined,
            to: to ? new Date(to) : undefined,
          };
          const facts = {
            ...days,
            from: new Date((from ?? midnight(-30)) - 1),
            to: to ? new Date(to - 1) : undefined,
          };
          const viaRollup = await outcomes(days);
          assert.ok(viaRollup.pairs.length > 0, `${policy} ${from} ${to}: some outcomes`);
          assert.deepEqual(viaRollup, await outcomes(facts), `${policy} from ${from} to ${to}`);
        }
    });

    it('takes the pre score from the first pre-test attempt, not a retake', async () => {
      const pairs = await createKpiRepository(database().db).scorePairs(course('latest'));
      const passFail = pairs.find((p) => p.userId === who('passFail').userId)!;
      assert.equal(passFail.pre, 0.25);
      assert.equal(passFail.post, 0.5);
    });

    it('reports retakes apart from mastery, whatever the policy', async () => {
      for (const policy of ['first', 'best', 'latest'] as const) {
        const r = await service().build(course(policy));
        assert.deepEqual(mod(r).retakes, { retook: 3, passedOnRetake: 2, failedAfterPass: 1 }, policy);
      }
    });

    it("follows the program's setting when the scope names no rules", async () => {
      await sql`UPDATE program SET kpi_attempt_policy = 'latest', kpi_denominator = 'enrolled-now'
                WHERE tenant_id = ${world.tenantId} AND id = ${world.programId}`.execute(database().db);
      try {
        const r = await service().build({ tenantId: world.tenantId, courseId: world.courseId });
        assert.deepEqual(r.rules, { attemptPolicy: 'latest', denominator: 'enrolled-now' });
        assert.equal(rate(r, 'mastery'), '3/4');
        const unruled = { tenantId: world.tenantId, courseId: world.courseId };
        assert.equal(
          await service().learnerCount(unruled),
          7,
          'the learner list counts whom the report counts',
        );
        const exported = await service().learnerExport(unruled);
        assert.ok(!exported.some((l) => l.userId === who('withdrawn').userId));
      } finally {
        await sql`UPDATE program SET kpi_attempt_policy = 'first', kpi_denominator = 'assigned'
                  WHERE tenant_id = ${world.tenantId} AND id = ${world.programId}`.execute(database().db);
      }
    });
  });

  describe('time on task', () => {
    it('counts a session that stores 30 minutes but spans 15 as 15 minutes, in the rollup and the facts', async () => {
      const days = course('first');
      // Resumed: 5 + 10 minutes; voided: 30 stored, 15 spanned. Uncapped the median would be 22.5.
      for (const scope of [days, { ...days, from: new Date(world.start.getTime() - 86_400_000 + 1) }]) {
        const r = await service().build(scope);
        assert.deepEqual(
          mod(r).time,
          { learners: 2, medianMinutes: 15, p90Minutes: 15, sessions: 3, estimatedSessions: 1 },
          scope.from ? 'facts' : 'rollup',
        );
        const activity = await createKpiRepository(database().db).learnerActivity(scope, {
          modules: 1,
          now: new Date(),
        });
        assert.equal(activity.find((l) => l.userId === who('voided').userId)!.seconds, 900);
      }
      const own = await createKpiRepository(database().db).learnerModules({
        ...days,
        learnerUserId: who('voided').userId,
      });
      assert.equal(own.find((m) => m.moduleId === moduleId)!.seconds, 900);
    });

    it('flags a session whose stored duration is longer than the session in the data-quality panel', async () => {
      const q = await service().quality({ tenantId: world.tenantId, courseId: world.courseId });
      assert.equal(q.counts.endedSessions, 2);
      assert.equal(q.counts.overlongSessions, 1);
      const check = q.checks.find((c) => /longer than the session/.test(c.name))!;
      assert.equal(check.ok, false);
    });
  });

  describe('gain', () => {
    it('counts the 100% pre-test learner at ceiling and in the pairs, not in the mean learner gain', async () => {
      const r = await service().build(course('first'));
      const s = mod(r).scores;
      assert.equal(s.pairs, 5);
      assert.equal(s.gain!.excludedAtMaximum, 1);
      assert.equal(s.gain!.included, 4);
      // (25-50)/50, (75-25)/75, (75-50)/50, (25-25)/75 over four learners; class (60-50)/(100-50).
      assert.ok(Math.abs(s.gain!.meanLearnerGain! - (-0.5 + 2 / 3 + 0.5 + 0) / 4) < 1e-12);
      assert.ok(Math.abs(s.gain!.classAverageGain! - 0.2) < 1e-12);
    });
  });

  describe('gain under each attempt policy and denominator', () => {
    // Learners' pre scores: failPass 50, passFail 25, withdrawn 50, ceiling 100 (at ceiling), failFailPass 25.
    const posts: Record<AttemptPolicy, Record<string, number>> = {
      first: { failPass: 25, passFail: 75, withdrawn: 75, ceiling: 100, failFailPass: 25 },
      best: { failPass: 100, passFail: 75, withdrawn: 75, ceiling: 100, failFailPass: 100 },
      latest: { failPass: 100, passFail: 50, withdrawn: 75, ceiling: 100, failFailPass: 100 },
    };
    const pres: Record<string, number> = {
      failPass: 50,
      passFail: 25,
      withdrawn: 50,
      ceiling: 100,
      failFailPass: 25,
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const policy of ['first', 'best', 'latest'] as const)
      for (const denominator of ['assigned', 'enrolled-now'] as const) {
        it(`computes Hake's gain by the ${policy} attempt over ${denominator} learners, the ceiling learner apart`, async () => {
          const who = Object.keys(pres).filter((n) => denominator === 'assigned' || n !== 'withdrawn');
          const s = mod(await service().build(course(policy, denominator))).scores;
          const pre = mean(who.map((n) => pres[n]!));
          const post = mean(who.map((n) => posts[policy][n]!));
          const below = who.filter((n) => pres[n]! < 100);
          assert.equal(s.pairs, who.length);
          assert.equal(s.gain!.excludedAtMaximum, 1);
          assert.equal(s.gain!.included, below.length);
          assert.ok(Math.abs(s.gain!.classAverageGain! - (post - pre) / (100 - pre)) < 1e-12);
          const learnerGain = mean(below.map((n) => (posts[policy][n]! - pres[n]!) / (100 - pres[n]!)));
          assert.ok(Math.abs(s.gain!.meanLearnerGain! - learnerGain) < 1e-12);
        });
      }

    it('counts the learner who withdrew after completing as started and completed under intention to treat only', async () => {
      const all = await service().build(course('first'));
      const now = await service().build(course('first', 'enrolled-now'));
      assert.deepEqual([mod(all).started, rate(all, 'completion')], [7, '6/8']);
      assert.deepEqual([mod(now).started, rate(now, 'completion')], [6, '5/7']);
    });
  });

  describe('surveys', () => {
    const useful = (r: KpiReport) => mod(r).survey.find((i) => i.itemId === 'useful')!;

    it('counts anonymous answers in responses, the withdrawn respondent included, and says so', async () => {
      for (const denominator of ['assigned', 'enrolled-now'] as const) {
        const r = await service().build({ ...course('first', denominator), moduleVersion: 1 });
        assert.equal(useful(r).respondents, 2, denominator);
        assert.equal(useful(r).countedIn, 'responses');
        assert.equal(useful(r).anonymous, true, 'anonymous as given, though version 3 is not');
      }
    });

    it("lists an item answered only in an older version, with that version's prompt", async () => {
      const r = await service().build(course('first'));
      const clear = mod(r).survey.find((i) => i.itemId === 'clear')!;
      assert.equal(clear.prompt, 'The module was clear');
      assert.equal(clear.respondents, 1);
      assert.equal(clear.countedIn, 'responses');
      assert.deepEqual(clear.answeredIn, { first: 1, last: 1 });
      assert.equal(clear.wordingChanged, false);
    });

    it('shows each version its own items, wording and anonymity under the version filter', async () => {
      const v1 = await service().build({ ...course('first'), moduleVersion: 1 });
      assert.equal(useful(v1).prompt, 'The module was useful');
      assert.ok(
        mod(v1).survey.some((i) => i.itemId === 'clear'),
        'version 1 has `clear`',
      );
      const v3 = await service().build({ ...course('first'), moduleVersion: 3 });
      assert.equal(useful(v3).prompt, 'The module was worth my time');
      assert.deepEqual(
        [useful(v3).respondents, useful(v3).countedIn, useful(v3).anonymous],
        [1, 'people', false],
      );
      assert.ok(!mod(v3).survey.some((i) => i.itemId === 'clear'), 'version 3 has no `clear`');
      const facts = await service().build({
        ...course('first'),
        moduleVersion: 3,
        from: new Date(world.start.getTime() - 86_400_000 + 1),
      });
      assert.deepEqual(mod(facts).survey, mod(v3).survey, 'the facts path agrees');
    });

    it('says when the versions answers span word an item differently, shown as last answered', async () => {
      const r = await service().build(course('first'));
      assert.equal(useful(r).prompt, 'The module was worth my time');
      assert.deepEqual(useful(r).answeredIn, { first: 1, last: 3 });
      assert.equal(useful(r).wordingChanged, true);
      assert.equal(useful(r).respondents, 3, 'two responses and one person, pooled');
      const table = surveyTable(r);
      assert.ok(
        table.rows.some((row) => /worded differently in versions 1-3: choose a version/.test(String(row[1]))),
      );
    });
  });
});
