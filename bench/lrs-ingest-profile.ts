import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import * as m0090 from '../src/storage/migrations/0090-kpi-capture-per-statement.js';
import * as m0091 from '../src/storage/migrations/0091-kpi-fact-outbox.js';
import * as m0092 from '../src/storage/migrations/0092-kpi-outbox-parts.js';
import { createKpiOutboxRepository } from '../src/storage/repositories/kpi-outbox-repository.js';
import { openDatabase, resolveDatabase } from '../src/storage/database.js';
import { createServices } from '../src/services.js';
import { generateCaptureStatements, type CaptureStatement } from '../src/dev/synthetic/capture-statements.js';
import { insertCourseWorld } from '../src/dev/synthetic/course-world-repository.js';
import { createBenchDatabase } from './bench-database.js';
import { createStatementService } from '../src/xapi/statements/statement-service.js';
import { createXapiStatementRepository } from '../src/storage/repositories/xapi-statement-repository.js';

/**
 * `node --import tsx bench/lrs-ingest-profile.ts`: where the time of realistic batch ingest goes, by
 * KPI trigger function. Stores capture statements (the generator's, KPI triggers firing) in batches of
 * 100 through the statement service from one client, with PostgreSQL's function statistics on
 * (track_functions = all: calls, total and self time of every PL/pgSQL and SQL function), in three
 * phases of as many statements: with migration 0060's row trigger, with 0090's statement trigger,
 * with 0091's outbox (the stores, then the drain of what they stored, timed apart) and with the
 * capture trigger off. Prints each function's time as a share of the phase's wall time. BENCH_SCALE (default 0.1) scales 20,000 statements per phase.
 */
const scale = Number(process.env.BENCH_SCALE ?? '0.1');
const perPhase = Math.round(20_000 * scale);
const quiet = { info() {}, warn() {}, debug() {} };
const server = await resolveDatabase({
  url: process.env.DATABASE_URL ?? '',
  embedded: { enabled: true, dataDir: '', port: 0 },
  temporary: true,
  logger: quiet,
});
try {
  const log = (m: string) => process.stdout.write(`${m}\n`);
  const bench = await createBenchDatabase(
    { serverUrl: server.url, postgresVersion: server.serverVersion, scale, log },
    'ingestprof',
    2,
  );
  const { rows: names } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(bench.db);
  await sql`ALTER DATABASE ${sql.id(names[0]!.name)} SET track_functions = 'all'`.execute(bench.db);
  const { world, tenantName } = await insertCourseWorld(bench.db, {
    seed: 17,
    learners: Math.max(60, Math.ceil((4 * perPhase) / 60)),
    modules: 5,
  });
  const statements: CaptureStatement[] = [];
  for (const s of generateCaptureStatements(world, { seed: 17 })) {
    statements.push(s);
    if (statements.length === 4 * perPhase) break;
  }
  const credential = await createServices({ db: bench.db }).lrsCredentials.create({
    tenant: tenantName,
    scopes: ['all'],
    homePage: 'http://bench',
  });

  /** Stores `part` in batches of 100 on new connections (track_functions applies to them). */
  async function phase(
    label: string,
    part: CaptureStatement[],
    extra?: (db: typeof bench.db) => Promise<void>,
  ): Promise<void> {
    await sql`SELECT pg_stat_reset()`.execute(bench.db);
    const conn = openDatabase(bench.url, { poolSize: 4, statementTimeoutMs: 0 });
    const services = createServices({ db: conn.db });
    const principal = await services.lrsCredentials.authenticate(credential.key, credential.secret);
    // Tells no drainer: the outbox phase times its stores and its drain apart.
    const store = createStatementService({ db: conn.db, statements: createXapiStatementRepository(conn.db) });
    const load = os.loadavg()[0]!.toFixed(1);
    const t0 = performance.now();
    for (let i = 0; i < part.length; i += 100) {
      await store.store({
        principal,
        version: '2.0.0',
        body: Buffer.from(JSON.stringify(part.slice(i, i + 100))),
        contentType: 'application/json',
      });
    }
    await extra?.(conn.db);
    const ms = performance.now() - t0;
    // A backend reports its function statistics when it ends.
    await conn.close();
    await new Promise((r) => setTimeout(r, 1500));
    const { rows } = await sql<{ funcname: string; calls: string; total: number; self: number }>`
      SELECT funcname, calls, total_time AS total, self_time AS self FROM pg_stat_user_functions
      WHERE funcname LIKE 'kpi\_%' ORDER BY total_time DESC`.execute(bench.db);
    log(
      `\n${label}: ${part.length || perPhase} statements in ${ms.toFixed(0)} ms, ${Math.round((part.length || perPhase) / (ms / 1000))} statements/s (load ${load})`,
    );
    log('function | calls | total ms | self ms | total as a share of the ingest time');
    for (const r of rows)
      log(
        `${r.funcname} | ${r.calls} | ${r.total.toFixed(0)} | ${r.self.toFixed(0)} | ${((100 * r.total) / ms).toFixed(1)}%`,
      );
  }

  const parts = [0, 1, 2, 3].map((k) => statements.slice(k * perPhase, (k + 1) * perPhase));
  const owner = bench.db as unknown as Kysely<unknown>;
  // Before #17's capture changes: the row trigger of migration 0060 (0091 and 0090 undone for this phase).
  await m0092.down(owner);
  await m0091.down(owner);
  await m0090.down(owner);
  await phase('row trigger (0060)', parts[0]!);
  await m0090.up(owner);
  await phase('statement trigger, lock order (0090)', parts[1]!);
  await m0091.up(owner);
  await m0092.up(owner);
  await phase('outbox (0091): the stores', parts[2]!);
  // On the phase's own connections, so their function statistics are reported when they close.
  await phase('outbox (0091, 0092): the drain of those stores', [], async (db) => {
    const outbox = createKpiOutboxRepository(db);
    const { rows } = await sql<{ id: string }>`SELECT id FROM tenant`.execute(db);
    for (const { id } of rows)
      await Promise.all(
        [0, 1, 2, 3].map(async (part) => {
          while ((await outbox.drain(id, part, 200)) > 0);
        }),
      );
  });
  await sql`ALTER TABLE xapi_statement DISABLE TRIGGER kpi_statement_insert`.execute(bench.db);
  await phase('capture trigger off (no KPI work)', parts[3]!);
  await sql`ALTER TABLE xapi_statement ENABLE TRIGGER kpi_statement_insert`.execute(bench.db);
  await bench.drop();
} finally {
  await server.stop();
}
