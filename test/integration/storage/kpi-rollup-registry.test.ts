import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import type { Database } from '../../../src/storage/schema.js';
import {
  KPI_FACTS,
  KPI_FACTS_TABLE,
  KPI_ROLLUPS,
  rebuildKpiRollupsSql,
  type KpiRollup,
} from '../../../src/storage/rollups/index.js';

/**
 * What is wrong between a rollup registry and the database's catalog, each as a message saying what to
 * do. Facts: kpi_statement. Rollups: every other kpi_* table, each kept by triggers and listed in
 * exactly one registered rollup's tables.
 */
async function registryProblems(db: Kysely<Database>, registry: readonly KpiRollup[]): Promise<string[]> {
  const problems: string[] = [];
  const { rows: tables } = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'kpi\_%'`.execute(
    db,
  );
  const existing = new Set(tables.map((t) => t.name));
  const registered = new Map<string, number>();
  for (const rollup of registry)
    for (const t of rollup.tables) registered.set(t, (registered.get(t) ?? 0) + 1);
  for (const { name } of tables) {
    if (name === KPI_FACTS_TABLE || registered.has(name)) continue;
    problems.push(
      `table ${name} is not in KPI_ROLLUPS: describe its rollup in a module of src/storage/rollups/ (table, ` +
        `row, source, triggers, rebuild function) and list it in src/storage/rollups/index.ts, so bulk loads rebuild it`,
    );
  }
  for (const [table, times] of registered) {
    if (!existing.has(table)) problems.push(`KPI_ROLLUPS names table ${table}, which no migration created`);
    if (times > 1) problems.push(`table ${table} is listed by ${times} rollups; keep it in one`);
  }
  const { rows: functions } = await sql<{ name: string }>`
    SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.pronargs = 1 AND p.proargtypes[0] = 'uuid'::regtype
      AND p.prorettype = 'void'::regtype`.execute(db);
  const rebuilds = new Set(functions.map((f) => f.name));
  const { rows: triggers } = await sql<{ t: string }>`
    SELECT c.relname || '.' || g.tgname AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
    WHERE NOT g.tgisinternal`.execute(db);
  const triggerNames = new Set(triggers.map((t) => t.t));
  for (const rollup of registry) {
    const name = rollup.tables[0];
    if (!rebuilds.has(rollup.rebuild)) {
      problems.push(`rollup ${name}: rebuild function ${rollup.rebuild}(uuid) RETURNS void does not exist`);
    }
    for (const t of rollup.triggers) {
      if (!triggerNames.has(`${t.table}.${t.name}`))
        problems.push(`rollup ${name}: no trigger ${t.name} on ${t.table}`);
    }
    if (rollup.source !== KPI_FACTS_TABLE && !registered.has(rollup.source)) {
      problems.push(
        `rollup ${name}: its source ${rollup.source} is neither the facts nor a registered rollup`,
      );
    }
  }
  return problems;
}

describe('the KPI rollup registry (src/storage/rollups)', () => {
  const testDb = useTestDatabase();

  it('matches the database: every kpi_* table is the facts or a registered rollup with its rebuild and triggers', async () => {
    assert.deepEqual(await registryProblems(testDb().db, KPI_ROLLUPS), []);
  });

  it('fails for a kpi_* table no rollup registers, saying where to register it', async () => {
    const db = testDb().db;
    await sql`CREATE TABLE kpi_unregistered_probe (tenant_id uuid NOT NULL)`.execute(db);
    try {
      const problems = await registryProblems(db, KPI_ROLLUPS);
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /kpi_unregistered_probe is not in KPI_ROLLUPS/);
      assert.match(problems[0]!, /src\/storage\/rollups\/index\.ts/);
    } finally {
      await sql`DROP TABLE kpi_unregistered_probe`.execute(db);
    }
  });

  it('fails for a registered rebuild function or trigger the database does not have', async () => {
    const broken = KPI_ROLLUPS.map((r, i) =>
      i === 0
        ? {
            ...r,
            rebuild: 'kpi_missing_rebuild',
            triggers: [...r.triggers, { table: 'kpi_attempt', name: 'nope' }],
          }
        : r,
    );
    const problems = await registryProblems(testDb().db, broken);
    assert.deepEqual(problems, [
      `rollup ${KPI_ROLLUPS[0]!.tables[0]}: rebuild function kpi_missing_rebuild(uuid) RETURNS void does not exist`,
      `rollup ${KPI_ROLLUPS[0]!.tables[0]}: no trigger nope on kpi_attempt`,
    ]);
  });

  it('keeps the facts by their capture triggers on xapi_statement', async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT g.tgname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
      WHERE c.relname = 'xapi_statement' AND g.tgname LIKE 'kpi\_%' ORDER BY 1`.execute(testDb().db);
    assert.deepEqual(
      rows.map((r) => r.name),
      KPI_FACTS.triggers.map((t) => t.name),
    );
  });

  it('rebuilds every rollup kept from the facts in one statement, each function once', () => {
    const fromFacts = KPI_ROLLUPS.filter((r) => r.source === KPI_FACTS_TABLE);
    for (const r of fromFacts) assert.match(rebuildKpiRollupsSql(), new RegExp(`\\b${r.rebuild}\\(\\$1\\)`));
    assert.equal(
      rebuildKpiRollupsSql().match(/\(\$1\)/g)!.length,
      new Set(fromFacts.map((r) => r.rebuild)).size,
    );
  });
});
