import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch } from '../../support/lti-client.js';

describe('module authoring pages need an admin launch session', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  it('opens /admin/modules for an admin launched from the LMS, linked from the admin home', async () => {
    const { jar } = await launch(h.devLms, 'ada', 'sales-201', 'sales-201-module-1');
    const home = await get(`${h.url}/admin`, jar);
    assert.match(await home.text(), /href='\/admin\/modules'/);
    const page = await get(`${h.url}/admin/modules`, jar);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>Learner modules<\/h1>/);
  });

  for (const [person, role] of [
    ['ana', 'learner'],
    ['ines', 'instructor'],
  ] as const) {
    it(`answers 403 to the ${role} session`, async () => {
      const { jar } = await launch(h.devLms, person, 'sales-201', 'sales-201-module-1');
      const page = await get(`${h.url}/admin/modules`, jar);
      assert.equal(page.status, 403);
    });
  }
});
