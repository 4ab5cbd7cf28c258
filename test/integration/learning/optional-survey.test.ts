import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { formState, postPage } from '../../support/learner-client.js';
import { EXTENSIONS } from '../../../src/learning/vocabulary.js';

const LINK = 'safety-101-module-1';
const PRE: [string, string][] = [
  ['a.plate', 'plate'],
  ['a.centre', 'false'],
];
const POST_RIGHT: [string, string][] = [
  ['a.plate', 'plate'],
  ['a.centre', 'false'],
  ['a.reduce', 'attachment'],
  ['a.reduce', 'long-centre'],
  ['a.height', '18'],
  ['a.shape', 'Triangle'],
];

describe('Results before an optional survey (issue #15)', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  const surveyStatements = async () => {
    const rows = await sql<{ statement: string }>`SELECT statement FROM xapi_statement`.execute(testDb().db);
    return rows.rows
      .map((r) => JSON.parse(r.statement) as { context?: { extensions?: Record<string, unknown> } })
      .filter((s) => s.context?.extensions?.[EXTENSIONS.phase] === 'survey').length;
  };
  const answer = (jar: CookieJar, html: string, fields: [string, string][]) => {
    const { attempt, step } = formState(html);
    return postPage(h.url, `/learn/${LINK}/steps`, [['attempt', attempt], ['step', step], ...fields], jar);
  };
  async function next(jar: CookieJar, html: string, fields: [string, string][] = []) {
    const res = await answer(jar, html, fields);
    assert.equal(res.status, 303, await res.clone().text());
    return (await get(`${h.url}/learn/${LINK}`, jar)).text();
  }
  /** Launches `person` and answers up to the survey, passing the post-test. */
  async function toSurvey(person: string) {
    const { jar } = await launch(h.devLms, person, 'safety-101', LINK);
    let html = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    html = await next(jar, html, PRE);
    html = await next(jar, html);
    html = await next(jar, html);
    return { jar, html: await next(jar, html, POST_RIGHT) };
  }

  it('shows the score before the survey, skips the survey when nothing is answered, and leads back to the course after a pass (a new attempt offered plainly after full marks)', async () => {
    const { jar, html: survey } = await toSurvey('ana');
    assert.match(survey, /You passed[\s\S]*5 of 5 points \(100%\)[\s\S]*Tell us what you think \(optional\)/);
    assert.match(survey, /Skip the survey and see my results/);
    const before = await surveyStatements();
    const html = await next(jar, survey);
    assert.match(html, /Your results/);
    assert.equal(await surveyStatements(), before, 'a skipped survey sends no statement');
    assert.match(
      html,
      /<a class='button primary' href='\/courses\/[^']+\/progress'>Back to the course: my progress<\/a>/,
    );
    assert.match(html, /<button type='submit' class='secondary'>Start a new attempt<\/button>/);
    assert.doesNotMatch(html, /<button type='submit'>[^<]*attempt/);
  });

  it('keeps the answered items of a partly answered survey', async () => {
    const { jar, html } = await toSurvey('ben');
    const before = await surveyStatements();
    await next(jar, html, [['a.recommend', '9']]);
    assert.equal(await surveyStatements(), before + 1);
  });

  it('still refuses a survey answer outside the offered points', async () => {
    const { jar, html } = await toSurvey('cara');
    const res = await answer(jar, html, [['a.recommend', '11']]);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /pick one of the offered points/);
  });
});
