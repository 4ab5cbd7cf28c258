import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement, type LrsClient } from '../../support/xapi-client.js';
import type { Services } from '../../../src/services.js';

const ANA = { objectType: 'Agent', name: 'Ana Ito', mbox: 'mailto:ana@example.com' };
const BO = { objectType: 'Agent', name: 'Bo Dube', mbox: 'mailto:bo@example.com' };
const VOIDED = { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } };
const ref = (id: string) => ({ objectType: 'StatementRef', id });
const q = (params: Record<string, string>) => `/xapi/statements?${new URLSearchParams(params)}`;

/**
 * After a person's erasure the LRS answers as if their statements had never been stored (issue #18,
 * xAPI Communication 2.1.3): no GET by id finds them, no filter returns them, and a voiding statement
 * sent later that targets one is accepted like any voiding statement whose target the LRS does not
 * have (xAPI Data 2.3.2: the LRS does not reject it for that reason).
 */
describe('Statements of an erased person, as the LRS answers afterwards', () => {
  const testDb = useTestDatabase();
  let lrs: LrsClient;
  let services: Services;
  const ids = { own: randomUUID(), voided: randomUUID(), voiding: randomUUID(), refers: randomUUID() };
  const activity = 'http://example.com/activities/erased-course';
  let kept: string;

  before(async () => {
    const app = createTestApp(testDb());
    services = app.services;
    lrs = await lrsClient(app.app, services, { tenant: 'Erased LRS', version: '2.0.0' });
    const put = (id: string, body: object) =>
      lrs
        .put(q({ statementId: id }))
        .send(body)
        .expect(204);
    await put(ids.own, statement({ actor: ANA, object: { id: activity } }));
    await put(ids.voided, statement({ actor: ANA, object: { id: activity } }));
    // Someone else voids one of Ana's statements, and refers to another.
    await put(ids.voiding, statement({ actor: BO, verb: VOIDED, object: ref(ids.voided) }));
    await put(ids.refers, statement({ actor: BO, object: ref(ids.own) }));
    kept = randomUUID();
    await put(kept, statement({ actor: BO, object: { id: activity } }));
    assert.equal((await lrs.get(q({ voidedStatementId: ids.voided })).expect(200)).body.id, ids.voided);

    await services.privacy.erase(
      lrs.tenantId,
      { kind: 'mbox', mbox: ANA.mbox },
      { requestedBy: 'Ana Ito', approvedBy: 'the DPO' },
    );
  });

  it('answers 404 to a GET by statementId or voidedStatementId of any of them', async () => {
    for (const id of Object.values(ids)) {
      await lrs.get(q({ statementId: id })).expect(404);
      await lrs.get(q({ voidedStatementId: id })).expect(404);
    }
    await lrs.get(q({ statementId: kept })).expect(200);
  });

  it('returns none of them under any filter', async () => {
    const erased = new Set<string>(Object.values(ids));
    const idsOf = async (params: Record<string, string>) =>
      ((await lrs.get(q(params)).expect(200)).body as { statements: { id: string }[] }).statements.map(
        (s) => s.id,
      );
    const filters: Record<string, string>[] = [
      {},
      { agent: JSON.stringify({ mbox: ANA.mbox }) },
      { agent: JSON.stringify({ mbox: ANA.mbox }), related_agents: 'true' },
      { activity, related_activities: 'true' },
      { verb: VOIDED.id },
      { agent: JSON.stringify({ mbox: BO.mbox }), related_agents: 'true' },
    ];
    for (const params of filters)
      assert.deepEqual(
        (await idsOf(params)).filter((id) => erased.has(id)),
        [],
        JSON.stringify(params),
      );
    assert.deepEqual(await idsOf({ agent: JSON.stringify({ mbox: ANA.mbox }) }), []);
    assert.ok((await idsOf({ activity })).includes(kept), "another person's statement stays");
  });

  it('accepts a later voiding statement that targets an erased statement, and still finds nothing by that id', async () => {
    const late = randomUUID();
    await lrs
      .put(q({ statementId: late }))
      .send(statement({ actor: BO, verb: VOIDED, object: ref(ids.own) }))
      .expect(204);
    assert.equal((await lrs.get(q({ statementId: late })).expect(200)).body.object.id, ids.own);
    await lrs.get(q({ statementId: ids.own })).expect(404);
    await lrs.get(q({ voidedStatementId: ids.own })).expect(404);
  });

  it('erases an observation about the person that the KPI facts have not captured yet', async () => {
    const observed = { objectType: 'Agent', account: { homePage: 'http://lms.example', name: 'ana-7' } };
    const id = randomUUID();
    await lrs
      .put(q({ statementId: id }))
      .send(
        statement({
          actor: BO,
          context: {
            extensions: { 'https://w3id.org/yardstick/xapi/extensions/observed_learner': observed },
          },
        }),
      )
      .expect(204);
    const { db } = testDb();
    const facts = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM kpi_statement WHERE tenant_id = ${lrs.tenantId} AND statement_id = ${id}`.execute(
      db,
    );
    assert.equal(facts.rows[0]!.n, 0, 'still in the capture outbox');
    const found = await services.privacy.find(lrs.tenantId, { kind: 'account', ...observed.account });
    assert.deepEqual(found.locations, [
      { place: 'xapi_statement (observations of them by others)', count: 1 },
    ]);
    await services.privacy.erase(
      lrs.tenantId,
      { kind: 'account', ...observed.account },
      { requestedBy: 'Ana', approvedBy: 'the DPO' },
    );
    await lrs.get(q({ statementId: id })).expect(404);
  });
});
