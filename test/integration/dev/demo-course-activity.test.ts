import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch } from '../../support/lti-client.js';
import { seedDemoCourseActivity } from '../../../src/dev/demo/demo-course-activity.js';
import { startDevLms } from '../../../src/dev/lms/start-dev-lms.js';
import { LOAD_LIMITS } from '../../../src/dev/demo/demo-modules.js';
import { seedDemoPrograms, DEMO_PROGRAMS } from '../../../src/dev/demo/demo-seed.js';
import { seedDemoProgramLearning } from '../../../src/dev/demo/demo-program-learning.js';
import { createDemoPeopleRepository } from '../../../src/dev/demo/demo-people-repository.js';
import { gatherKirkpatrick } from '../../../src/web/routes/programs/kirkpatrick-pages.js';
import { presentKirkpatrick } from '../../../src/web/presenters/kirkpatrick-presenter.js';

describe('The demo course activity', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  it("fills Forklift Safety 101 once, so the instructor's first launch shows a populated report", async () => {
    const seed = () =>
      seedDemoCourseActivity({ db: testDb().db, services: h.services, lms: h.devLms, tenantName: 'Demo' });
    const stored = await seed();
    assert.ok(stored > 1000, `stored ${stored} statements`);
    assert.equal(await seed(), 0, 'a second start adds nothing');

    const { res, jar } = await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1');
    const courseId = /\/courses\/([0-9a-f-]{36})\//.exec(res.headers.get('location')!)![1]!;
    const tenantId = (await h.services.tenants.getByName('Demo')).id;
    const report = await h.services.kpiReports.build({ tenantId, courseId });
    const shown = report.modules.filter((m) => m.completion.status !== 'suppressed');
    assert.equal(shown.length, 4, 'the four sample modules are above the privacy minimum');
    // Its own modules only, the hand-written Load limits among them before any real learner opens it.
    assert.deepEqual(report.modules.map((m) => m.module.title).sort(), [
      'Load limits',
      'Loading docks and ramps',
      'Pedestrians and blind spots',
      'Pre-shift inspection',
    ]);
    assert.deepEqual(await h.services.programs.list(tenantId), [], 'the course is no pilot of its own');
    const page = await get(`${h.url}/courses/${courseId}/report`, jar);
    const html = await page.text();
    assert.equal(page.status, 200, html.slice(0, 3000));
    assert.match(html, /Pre-shift inspection/);
    assert.doesNotMatch(html, /Employer match|Benefits essentials/);
  });

  it('answers every question kind of Load limits, so each shows in the question analysis and the survey', async () => {
    await seedDemoCourseActivity({
      db: testDb().db,
      services: h.services,
      lms: h.devLms,
      tenantName: 'Demo',
    });
    const { res } = await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1');
    const courseId = /\/courses\/([0-9a-f-]{36})\//.exec(res.headers.get('location')!)![1]!;
    const tenantId = (await h.services.tenants.getByName('Demo')).id;
    const report = await h.services.kpiReports.build({ tenantId, courseId });
    const loadLimits = report.modules.find((m) => m.module.title === 'Load limits')!;
    const questions = LOAD_LIMITS.content.postTest!.questions;
    assert.deepEqual(
      loadLimits.items.map((i) => i.itemId).sort(),
      questions.map((q) => q.id).sort(),
      'every post-test question is analysed',
    );
    for (const item of loadLimits.items) {
      const kind = questions.find((q) => q.id === item.itemId)!.type;
      assert.ok(item.learners >= 5, `${kind}: ${item.learners} learners`);
      // Some right and some wrong: the generator answers each kind both ways, as scoring reads them.
      assert.ok(item.difficulty > 0 && item.difficulty < 1, `${kind}: ${item.difficulty} answered right`);
    }
    const byType = new Map(loadLimits.survey.map((s) => [s.type, s]));
    assert.deepEqual([...byType.keys()].sort(), ['likert', 'nps', 'text']);
    assert.ok(byType.get('likert')!.likert && byType.get('nps')!.nps);
    assert.ok(byType.get('text')!.texts.length > 0, 'free-text answers are listed');
    assert.ok(loadLimits.observations.some((o) => o.respondents > 0 && !o.suppressed));
  });

  it('gives each demo pilot its modules and learner activity at Kirkpatrick levels 1 to 3, next to its ROI', async () => {
    const tenantName = 'Demo';
    const people = createDemoPeopleRepository(testDb().db);
    await seedDemoPrograms({ services: h.services, people, tenantName });
    const deps = { db: testDb().db, services: h.services, lms: h.devLms, tenantName };
    const started = performance.now();
    const stored = await seedDemoProgramLearning(deps);
    console.log(`      (${stored} statements in ${Math.round(performance.now() - started)} ms)`);
    assert.ok(stored > 1000, `${stored} statements`);
    assert.equal(await seedDemoProgramLearning(deps), 0, 'a second start adds nothing');
    const tenantId = (await h.services.tenants.getByName(tenantName)).id;
    const expected = {
      [DEMO_PROGRAMS.retirement]: 4,
      [DEMO_PROGRAMS.claims]: 1,
      [DEMO_PROGRAMS.wellbeing]: 3,
    };
    for (const [name, modules] of Object.entries(expected)) {
      const program = await h.services.programs.get(tenantId, name);
      const view = presentKirkpatrick(await gatherKirkpatrick(h.services, tenantId, program));
      assert.equal(new Set(view.leading.map((l) => l.module)).size, modules, name);
      for (const level of view.levels) {
        assert.equal(level.empty, null, `${name}, ${level.heading}`);
        assert.ok(
          level.rows.some((r) => !r.suppressed),
          `${name}, ${level.heading}: all withheld`,
        );
      }
      // Levels 1-3 count the linked sample, level 4 everyone in the outcome data: each says which.
      const [l1, l2, l3, l4] = view.levels;
      for (const level of [l1!, l2!, l3!])
        assert.match(level.counts, /^From the \d+ participant\(s\) with learning data in Yardstick/, name);
      assert.match(l4!.counts, /^From all \d+ participant\(s\) in the attributed outcome comparison/, name);
      const counted = (text: string) => Number(/\d+/.exec(text)![0]);
      assert.ok(counted(l4!.counts) > counted(l1!.counts), `${name}: ${l1!.counts} / ${l4!.counts}`);
      assert.ok(
        view.strip.every((row) => row.counts.length > 0),
        `${name}: the board strip says who counts`,
      );
      assert.equal(view.roi.empty, null, `${name} has an ROI`);
    }
  });

  it('adds nothing, and fails on nothing, when a restart on another port registers the LMS again', async () => {
    const seed = (lms = h.devLms) =>
      seedDemoCourseActivity({ db: testDb().db, services: h.services, lms, tenantName: 'Demo' });
    await seed();
    // npm start on another PORT: the development LMS has another issuer, so another platform row.
    const moved = (await startDevLms(
      { ...h.config, server: { ...h.config.server, publicUrl: 'http://localhost:1' } },
      h.services,
      testDb().db,
    ))!;
    assert.notEqual(moved.issuer, h.devLms.issuer);
    assert.equal(await seed(moved), 0);
    assert.equal(await seed(moved), 0);
  });
});
