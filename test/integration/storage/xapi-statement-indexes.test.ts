import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createXapiStatementRepository } from '../../../src/storage/repositories/xapi-statement-repository.js';
import type { StatementFilter } from '../../../src/xapi/model.js';

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
function nodes(plan: unknown): { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string }[] {
  const out: { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string }[] = [];
  const walk = (n: Record<string, unknown>) => {
    out.push(n as never);
    for (const child of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((plan as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return out;
}

describe('statement query plans: every GET filter is served by its index (EXPLAIN)', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  const tenantId = '22222222-2222-4222-8222-222222222222';

  before(async () => {
    const db = testDb().db;
    await sql`INSERT INTO tenant (id, name) VALUES (${tenantId}, 'plans')`.execute(db);
    await sql`INSERT INTO tenant (name) VALUES ('other')`.execute(db);
    // 30,000 statements over 20 verbs, 2,000 agents, 500 activities; one in ten with a registration.
    await sql`
      INSERT INTO xapi_statement (tenant_id, id, stored, "timestamp", verb_iri, registration, version, statement)
      SELECT ${tenantId}, gen_random_uuid(), now() - (i || ' seconds')::interval, now(), 'http://example.com/v' || (i % 20),
             CASE WHEN i % 10 = 0 THEN gen_random_uuid() END, '1.0.0', '{}'
      FROM generate_series(1, 30000) i`.execute(db);
    await sql`
      INSERT INTO xapi_statement_agent (tenant_id, agent_key, usage, seq, statement_id)
      SELECT tenant_id, 'mbox:mailto:a' || (seq % 2000) || '@example.com', 'actor', seq, id FROM xapi_statement`.execute(
      db,
    );
    await sql`
      INSERT INTO xapi_statement_activity (tenant_id, activity_iri, usage, seq, statement_id)
      SELECT tenant_id, 'http://example.com/a' || (seq % 500), 'object', seq, id FROM xapi_statement`.execute(
      db,
    );
    await sql`ANALYZE`.execute(db);
  });

  const cases: [string, Partial<StatementFilter>, string[]][] = [
    ['no filter: newest first by (tenant_id, seq)', {}, ['xapi_statement_seq_key']],
    [
      'since/until: stored order by (tenant_id, seq)',
      { since: '2000-01-01T00:00:00Z' },
      ['xapi_statement_seq_key'],
    ],
    ['verb', { verb: 'http://example.com/v3' }, ['xapi_statement_verb_idx']],
    [
      'registration',
      { registration: '5a0c8f0e-9a7d-4bde-8c3e-2f1d0b9a8c7e' },
      ['xapi_statement_registration_idx'],
    ],
    ['agent', { agentKey: 'mbox:mailto:a7@example.com' }, ['xapi_statement_agent_pkey']],
    ['activity', { activity: 'http://example.com/a7' }, ['xapi_statement_activity_pkey']],
    [
      'agent + verb + activity',
      {
        agentKey: 'mbox:mailto:a7@example.com',
        verb: 'http://example.com/v7',
        activity: 'http://example.com/a7',
      },
      ['xapi_statement_agent_pkey', 'xapi_statement_activity_pkey'],
    ],
    [
      'related_activities',
      { activity: 'http://example.com/a7', relatedActivities: true },
      ['xapi_statement_activity_pkey'],
    ],
  ];

  for (const [name, filter, indexes] of cases) {
    it(`${name} uses ${indexes.join(' and ')} and never scans a whole table`, async () => {
      const repo = createXapiStatementRepository(testDb().db);
      const plan = nodes(await repo.explainPage(tenantId, { limit: 10, ...filter }));
      const used = new Set(plan.map((n) => n['Index Name']).filter(Boolean));
      for (const index of indexes) assert.ok(used.has(index), `${index} not in ${[...used].join(', ')}`);
      const seqScans = plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
      assert.deepEqual(seqScans, []);
    });
  }
});
