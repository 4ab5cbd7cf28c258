import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import type { Database } from '../src/storage/schema.js';
import { resolveDatabase } from '../src/storage/database.js';
import { createKpiRepository } from '../src/storage/repositories/kpi-repository.js';
import { generateCaptureStatements } from '../src/dev/synthetic/capture-statements.js';
import { copyStatements, insertCourseWorld } from '../test/fixtures/course-world.js';
import { createServices } from '../src/services.js';
import { renderChart } from '../src/reports/charts/render.js';
import { reportCharts } from '../src/web/presenters/kpi-charts.js';
import { DEFAULT_KPI_SETTINGS } from '../src/reports/kpi/kpi-settings.js';
import { createBenchDatabase } from './bench-database.js';
import type { KpiScope } from '../src/reports/kpi/model.js';

/**
 * `node --import tsx bench/kpi-profile.ts`: times each KPI repository query of the whole-course report
 * one at a time (and the chart rendering) at BENCH_SCALE, to see where the report's time goes.
 */
const scale = Number(process.env.BENCH_SCALE ?? '0.1');
const quiet = { info() {}, warn() {}, debug() {} };
const database = await resolveDatabase({
  url: process.env.DATABASE_URL ?? '',
  embedded: { enabled: true, dataDir: '', port: 0 },
  temporary: true,
  logger: quiet,
});
try {
  const log = (m: string) => process.stdout.write(`${m}\n`);
  const bench = await createBenchDatabase(
    { serverUrl: database.url, postgresVersion: database.serverVersion, scale, log },
    'kpiprof',
    8,
  );
  const { world } = await insertCourseWorld(bench.db, {
    seed: 7,
    learners: Math.round(10_000 * scale),
    modules: 5,
  });
  const n = await copyStatements(
    bench.pool,
    world.tenantId,
    generateCaptureStatements(world, { seed: 7, neverStartShare: 0.05 }),
    Math.round(1_000_000 * scale),
  );
  await sql`ANALYZE`.execute(bench.db);
  log(`loaded ${n}`);
  const repo = createKpiRepository(bench.db);
  const scope: KpiScope = { tenantId: world.tenantId, courseId: world.courseId };
  const calls: [string, () => Promise<unknown>][] = [
    ['modules', () => repo.modules(scope)],
    ['rosterSize', () => repo.rosterSize(scope)],
    ['moduleCounts', () => repo.moduleCounts(scope)],
    ['timeOnTask', () => repo.timeOnTask(scope)],
    ['scorePairs', () => repo.scorePairs(scope)],
    ['scoreMoments', () => repo.scoreMoments(scope)],
    ['masteryCounts', () => repo.masteryCounts(scope)],
    ['withdrawnCount', () => repo.withdrawnCount(scope)],
    ['moduleActivity', () => repo.moduleActivity(scope)],
    ['itemAnalysis', () => repo.itemAnalysis(scope)],
    ['surveyAnswers', () => repo.surveyAnswers(scope)],
    ['observations', () => repo.observations(scope)],
    ['weekly', () => repo.weekly(scope)],
    ['enrollmentAround', () => repo.enrollmentAround(scope, world.campaignDate, 14)],
    ['freshness', () => repo.freshness(scope)],
    ['learnerSummaries', () => repo.learnerSummaries(scope)],
  ];
  for (let round = 0; round < 2; round++)
    for (const [name, call] of calls) {
      const s = performance.now();
      await call();
      if (round === 1) log(`${name.padEnd(18)} ${Math.round(performance.now() - s)} ms`);
    }
  const services = createServices({ db: bench.db, reports: { settings: DEFAULT_KPI_SETTINGS } });
  for (let i = 0; i < 3; i++) {
    let s = performance.now();
    const report = await services.kpiReports.build(scope, { campaignDate: world.campaignDate });
    const built = performance.now() - s;
    s = performance.now();
    await Promise.all(reportCharts(report).map((c) => renderChart(c)));
    log(
      `build ${Math.round(built)} ms, charts ${Math.round(performance.now() - s)} ms (${reportCharts(report).length} charts)`,
    );
  }
  // KPI_EXPLAIN=name: EXPLAIN ANALYZE of every query that repository method runs.
  const explain = process.env.KPI_EXPLAIN;
  if (explain) {
    const captured: CompiledQuery[] = [];
    const logged = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: bench.pool }),
      log: (e) => void captured.push(e.query),
    });
    const call = calls.find(([name]) => name === explain)![1];
    const r = createKpiRepository(logged);
    calls.length = 0;
    await (call.toString().includes('enrollmentAround')
      ? r.enrollmentAround(scope, world.campaignDate, 14)
      : (r as unknown as Record<string, (s: KpiScope) => Promise<unknown>>)[explain]!(scope));
    for (const q of captured) {
      const { rows } = await bench.pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, [...q.parameters]);
      log(rows.map((x: Record<string, string>) => x['QUERY PLAN']).join('\n'));
    }
  }
  await bench.drop();
} finally {
  await database.stop();
}
