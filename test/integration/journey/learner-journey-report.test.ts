import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { formState, postPage } from '../../support/learner-client.js';
import { DEFAULT_KPI_SETTINGS } from '../../../src/reports/kpi/kpi-settings.js';

const LINK = 'safety-101-module-1';
/** Post-test answers: every item right (5 of 5 points). */
const POST_RIGHT: [string, string][] = [
  ['a.plate', 'plate'],
  ['a.centre', 'false'],
  ['a.reduce', 'attachment'],
  ['a.reduce', 'long-centre'],
  ['a.height', '18'],
  ['a.shape', 'triangle'],
];
/** Three learners of the demo course, each with a Likert level (1-5) and an NPS rating (0-10). */
const JOURNEYS = [
  { person: 'ana', useful: '5', recommend: '10', post: POST_RIGHT },
  { person: 'ben', useful: '4', recommend: '9', post: POST_RIGHT },
  {
    person: 'cara',
    useful: '2',
    recommend: '3',
    // 2 of 5 points: the last three answers are wrong.
    post: [
      ...POST_RIGHT.slice(0, 2),
      ['a.reduce', 'new-tyres'],
      ['a.height', '90'],
      ['a.shape', 'square'],
    ] as [string, string][],
  },
];

/**
 * A learner's journey through the real learner flow (the demo "Load limits" module of the development
 * LMS, tenant "Demo") shows up in the instructor's course report: completion, the post-test score and
 * the survey's Likert and NPS answers. Three learners answer and every count is checked (answer choices
 * picked by two of them too), so the privacy minimum is lowered to 1; the minimum's own rules are tested in
 * test/integration/privacy/small-cells.test.ts.
 */
describe('Learner journey to the instructor’s course report', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let courseId: string;
  let anaResults: string;
  let anaJar: CookieJar;

  before(async () => {
    h = await startLtiHarness(testDb(), {
      reports: { settings: { ...DEFAULT_KPI_SETTINGS, minimumGroupSize: 1 } },
    });
    for (const j of JOURNEYS) {
      const { res, jar } = await launch(h.devLms, j.person, 'safety-101', LINK);
      assert.equal(res.status, 303);
      let html = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
      const step = async (fields: [string, string][] = []) => {
        const { attempt, step } = formState(html);
        const r = await postPage(
          h.url,
          `/learn/${LINK}/steps`,
          [['attempt', attempt], ['step', step], ...fields],
          jar,
        );
        assert.equal(r.status, 303, await r.clone().text());
        html = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
      };
      await step([
        ['a.plate', 'manual'],
        ['a.centre', 'false'],
      ]);
      await step();
      await step();
      await step(j.post);
      await step([
        ['a.useful', j.useful],
        ['a.recommend', j.recommend],
      ]);
      assert.match(html, /Your results/);
      if (j.person === 'ana') {
        anaResults = html;
        anaJar = jar;
      }
    }
    const ines = await launch(h.devLms, 'ines', 'safety-101', LINK);
    courseId = /\/courses\/([0-9a-f-]{36})\//.exec(ines.res.headers.get('location') ?? '')?.[1] ?? '';
  });
  after(async () => h?.close());

  it('links the learner’s results page to their own progress page, which shows the finished module', async () => {
    const link =
      /<a [^>]*href='([^']+\/progress)'>(?:My progress in this course|Back to the course: my progress)<\/a>/.exec(
        anaResults,
      );
    assert.ok(link, 'the results page links to the progress page');
    const page = await get(`${h.url}${link[1]}`, anaJar);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Load limits/);
    assert.match(html, /Completed/);
    assert.match(html, /100(\.0)?%/);
  });

  it('shows completion, the post-test scores and the survey’s Likert and NPS answers in the course report', async () => {
    const tenantId = (await h.services.tenants.getByName('Demo')).id;
    const report = await h.services.kpiReports.build({ tenantId, courseId });
    const m = report.modules.find((x) => x.module.title === 'Load limits');
    assert.ok(m, 'the module is in the report');
    assert.equal(report.assigned, 3);
    assert.equal(m.completion.status, 'shown');
    if (m.completion.status === 'shown')
      assert.deepEqual([m.completion.successes, m.completion.trials], [3, 3]);
    assert.equal(m.mastery.status, 'shown');
    if (m.mastery.status === 'shown') assert.deepEqual([m.mastery.successes, m.mastery.trials], [2, 3]);
    // Post-test means: 100%, 100%, 2 of 5 points = 40% -> 80%.
    assert.ok(Math.abs(m.scores.postPercentMean! - 80) < 1e-9, `post mean ${m.scores.postPercentMean}`);
    // Item analysis over every question kind of the module, keys marked as the score counted them.
    const key = (itemId: string) =>
      m.items
        .find((i) => i.itemId === itemId)!
        .options.filter((o) => o.isKey && o.count > 0)
        .map((o) => [o.option, o.count]);
    assert.deepEqual(key('centre'), [['false', 3]]);
    assert.deepEqual(key('height'), [['18', 2]]);
    assert.deepEqual(key('shape'), [['triangle', 2]]);
    // Multiple choice: each choice counted once per learner who picked it (two picked both keys).
    assert.deepEqual(key('reduce'), [
      ['attachment', 2],
      ['long-centre', 2],
    ]);
    const distractors = m.items
      .find((i) => i.itemId === 'reduce')!
      .options.filter((o) => !o.isKey && o.count > 0)
      .map((o) => [o.option, o.count]);
    assert.deepEqual(distractors, [['new-tyres', 1]]);
    const useful = m.survey.find((i) => i.itemId === 'useful')!;
    assert.equal(useful.respondents, 3);
    assert.equal(useful.unreadable, 0);
    assert.deepEqual(useful.likert!.counts, [0, 1, 0, 1, 1]);
    const recommend = m.survey.find((i) => i.itemId === 'recommend')!;
    assert.equal(recommend.respondents, 3);
    assert.equal(recommend.unreadable, 0);
    assert.deepEqual(
      [recommend.nps!.promoters, recommend.nps!.passives, recommend.nps!.detractors],
      [2, 0, 1],
    );

    const ines = await launch(h.devLms, 'ines', 'safety-101', LINK);
    const page = await get(`${h.url}/courses/${courseId}/report`, ines.jar);
    assert.equal(page.status, 200);
    const html = await page.text();
    const rows = html.replace(/<svg[\s\S]*?<\/svg>/g, '');
    // Completion and mastery with their denominators (Wilson intervals as the service computes them).
    assert.match(
      rows,
      /<th scope="row">Load limits<\/th><td>100\.0%<\/td><td>43\.9% to 100\.0%<\/td><td>3 of 3<\/td>/,
    );
    assert.match(
      rows,
      /<th scope="row">Load limits<\/th><td>66\.7%<\/td><td>20\.8% to 93\.9%<\/td><td>2 of 3<\/td>/,
    );
    // Pre 50% for all three (none at the ceiling), post 100, 100 and 40 -> 80%; paired change +30 points;
    // gain 0.60.
    assert.match(
      rows,
      /<th scope="row">Load limits<\/th><td>3<\/td><td>0<\/td><td>50\.0%<\/td><td>80\.0%<\/td><td>30\.0<\/td>/,
    );
    // The Likert answers 5, 4 and 2 and the NPS ratings 10, 9 and 3 as the learners gave them.
    assert.match(
      rows,
      /The module will help me in my daily work\.<\/td><td>yes<\/td><td>3 responses<\/td><td>Strongly disagree: 0 \(0\.0%\); Disagree: 1 \(33\.3%\); Neutral: 0 \(0\.0%\); Agree: 1 \(33\.3%\); Strongly agree: 1 \(33\.3%\)<\/td><td>3\.67<\/td>/,
    );
    assert.match(rows, /NPS \+33: promoters 2 \(66\.7%\), passives 0 \(0\.0%\), detractors 1 \(33\.3%\)/);
  });
});
