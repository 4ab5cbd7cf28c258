import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { formState, postPage } from '../../support/learner-client.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { LOAD_LIMITS } from '../../../src/dev/demo/demo-modules.js';

const LINK = 'safety-101-module-1';
const PRE: [string, string][] = [
  ['a.plate', 'plate'],
  ['a.centre', 'false'],
];
/** Three of five wrong: the driver's memory, "true", 40 cm. */
const POST_FAILING: [string, string][] = [
  ['a.plate', 'manual'],
  ['a.centre', 'true'],
  ['a.reduce', 'attachment'],
  ['a.reduce', 'long-centre'],
  ['a.height', '40'],
  ['a.shape', 'triangle'],
];

describe('Review of wrong answers after a failed post-test (issue #15)', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  async function next(jar: CookieJar, html: string, fields: [string, string][] = []) {
    const { attempt, step } = formState(html);
    const res = await postPage(
      h.url,
      `/learn/${LINK}/steps`,
      [['attempt', attempt], ['step', step], ...fields],
      jar,
    );
    assert.equal(res.status, 303, await res.clone().text());
    return (await get(`${h.url}/learn/${LINK}`, jar)).text();
  }
  /** Launches `person`, fails the post-test and skips the survey: the results page. */
  async function failedResults(person: string) {
    const { jar } = await launch(h.devLms, person, 'safety-101', LINK);
    let html = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    html = await next(jar, html, PRE);
    html = await next(jar, html);
    html = await next(jar, html);
    html = await next(jar, html, POST_FAILING);
    return next(jar, html);
  }

  it('lists each wrong answer with the learner’s answer and the right one, by default', async () => {
    const html = await failedResults('ana');
    assert.match(html, /You did not reach the pass mark/);
    assert.match(html, /What to look at again/);
    const items = [
      ...html.matchAll(
        /<li value='(\d+)'><p class='review-prompt'>([^<]+)<\/p>\s*<dl class='facts'><dt>Your answer<\/dt><dd>([^<]+)<\/dd><dt>Right answer<\/dt><dd>([^<]+)<\/dd>/g,
      ),
    ].map(([, n, , yours, right]) => [n, yours, right]);
    assert.deepEqual(items, [
      ['1', 'In the driver’s memory', 'On the capacity plate'],
      ['2', 'True', 'False'],
      ['4', '40', '15 (give or take 5)'],
    ]);
  });

  it('shows no review when the module’s author turned it off', async () => {
    const tenantId = (await h.services.tenants.getByName('Demo')).id;
    const modules = createModuleRepository(testDb().db);
    const module = (await modules.list(tenantId)).find((m) => m.title === LOAD_LIMITS.title)!;
    await modules.saveDraft(tenantId, module.id, { ...LOAD_LIMITS.content, reviewAfterFail: false });
    await modules.publishDraft(tenantId, module.id);
    const html = await failedResults('ben');
    assert.match(html, /You did not reach the pass mark/);
    assert.doesNotMatch(html, /What to look at again|Right answer/);
  });
});
