import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch } from '../../support/lti-client.js';
import { formState } from '../../support/learner-client.js';
import { createLearnerFlowService } from '../../../src/learning/flow/learner-flow-service.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { createLearningRepository } from '../../../src/storage/repositories/learning-repository.js';
import type { StatementService } from '../../../src/xapi/statements/statement-service.js';

describe('A step is all or nothing', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  it('keeps the step, the session time and the statements unchanged when storing the statements fails', async () => {
    const { jar } = await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const html = await (await get(`${h.url}/learn/safety-101-module-1`, jar)).text();
    const { attempt } = formState(html);
    const cookie = /yardstick_lti=([^;]+)/.exec(jar.header())![1]!;
    const session = (await h.services.lti.launches.findSession(decodeURIComponent(cookie)))!;
    assert.ok(session, 'the launch session');
    const db = testDb().db;
    const snapshot = async () => ({
      attempt: (
        await sql`SELECT step, results, status FROM learning_attempt WHERE id = ${attempt}`.execute(db)
      ).rows,
      session: (
        await sql`SELECT last_seen_at, active_seconds, status FROM learning_session WHERE attempt_id = ${attempt}`.execute(
          db,
        )
      ).rows,
      statements: (await sql`SELECT count(*)::int AS n FROM xapi_statement`.execute(db)).rows,
    });
    const before = await snapshot();
    // The real store, failing after it wrote: the transaction must roll everything back.
    const failing: StatementService = {
      ...h.services.xapiStatements,
      async storeWithin(trx, input) {
        await h.services.xapiStatements.storeWithin(trx, input);
        throw new Error('disk full');
      },
    };
    const flow = createLearnerFlowService({
      db,
      modules: createModuleRepository(db),
      learning: createLearningRepository(db),
      statements: failing,
      settings: { idleCapSeconds: 300, abandonAfterSeconds: 1800, auSessionTimeoutSeconds: 10800 },
    });
    await assert.rejects(
      flow.submit(session, 'safety-101-module-1', {
        attemptId: attempt,
        step: 0,
        answers: { plate: 'plate', centre: 'false' },
      }),
      /disk full/,
    );
    assert.deepEqual(await snapshot(), before);
    // The real service then takes the same answers once.
    await h.services.learning.flow.submit(session, 'safety-101-module-1', {
      attemptId: attempt,
      step: 0,
      answers: { plate: 'plate', centre: 'false' },
    });
    const after = await snapshot();
    assert.equal((after.attempt[0] as { step: number }).step, 1);
  });
});
