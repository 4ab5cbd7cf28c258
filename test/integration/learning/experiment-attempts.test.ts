import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch } from '../../support/lti-client.js';
import { formState } from '../../support/learner-client.js';

describe('A content experiment decides which version an attempt gets', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  it("starts a learner's attempt on the version of the arm they were assigned, and records the assignment", async () => {
    const tenant = await h.services.tenants.getByName('Demo');
    const loadLimits = (await h.services.modules.list(tenant.id)).find((m) => m.title === 'Load limits')!;
    const v1 = await h.services.modules.exportVersion(tenant.id, loadLimits.id);
    await h.services.modules.saveDraft(tenant.id, loadLimits.id, v1.content);
    const v2 = await h.services.modules.publish(tenant.id, loadLimits.id);
    const experiment = await h.services.moduleExperiments.create(tenant.id, loadLimits.id, {
      name: 'Version 1 against version 2',
      armAVersion: 1,
      armBVersion: v2.version,
      seed: 7,
    });

    const { jar } = await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const { attempt } = formState(await (await get(`${h.url}/learn/safety-101-module-1`, jar)).text());

    const db = testDb().db;
    const started = await sql<{ version: number; user_id: string }>`
      SELECT version, user_id FROM learning_attempt WHERE tenant_id = ${tenant.id} AND id = ${attempt}`.execute(
      db,
    );
    const assigned = await sql<{ version: number; learner_key: string }>`
      SELECT version, learner_key FROM module_experiment_assignment
      WHERE tenant_id = ${tenant.id} AND experiment_id = ${experiment.id}`.execute(db);
    assert.equal(assigned.rows.length, 1, 'the flow assigned the learner to an arm');
    assert.equal(assigned.rows[0]!.learner_key, started.rows[0]!.user_id);
    assert.equal(started.rows[0]!.version, assigned.rows[0]!.version);
  });
});
