import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveDatabase } from '../src/storage/database.js';
import { machineInfo, type Benchmark, type BenchResult } from './harness.js';
import { printResult, writeMarkdown } from './report.js';
import { insertFloor } from './insert-floor.bench.js';
import { chartRender } from './chart-render.bench.js';
import { outcomeImport } from './outcome-import.bench.js';
import { lrsStatements } from './lrs-statements.bench.js';
import { lrsSoak } from './lrs-soak.bench.js';
import { roiBootstrap } from './roi-bootstrap.bench.js';
import { kpiReport } from './kpi-report.bench.js';
import { personErasure } from './person-erasure.bench.js';

/**
 * `npm run bench [-- name ...]`: runs the benchmarks on a real PostgreSQL (DATABASE_URL, or a temporary
 * embedded server), prints a table per benchmark, writes bench/results/<name>.json and regenerates
 * docs/benchmarks.md. BENCH_SCALE=0.1 gives a quick smoke run that is not recorded.
 */
const benchmarks: Benchmark[] = [
  insertFloor,
  lrsStatements,
  lrsSoak,
  outcomeImport,
  chartRender,
  roiBootstrap,
  kpiReport,
  personErasure,
];

const root = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(root, 'bench', 'results');

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !benchmarks.some((b) => b.name === w));
  if (unknown.length)
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`,
    );
  const selected = wanted.length ? benchmarks.filter((b) => wanted.includes(b.name)) : benchmarks;
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  const record = scale === 1;
  const quiet = { info() {}, warn() {}, debug() {} };
  const database = await resolveDatabase({
    url: process.env.DATABASE_URL ?? '',
    embedded: { enabled: true, dataDir: '', port: 0 },
    temporary: true,
    logger: quiet,
  });
  const stopOnSignal = () => void database.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    mkdirSync(resultsDir, { recursive: true });
    for (const bench of selected) {
      const startedAt = new Date().toISOString();
      const loadAtStart = os.loadavg()[0]!;
      process.stdout.write(`running ${bench.name}${record ? '' : ` (scale ${scale}, not recorded)`} ...\n`);
      const outcome = await bench.run({
        serverUrl: database.url,
        postgresVersion: database.serverVersion,
        scale,
        log: (m) => process.stdout.write(`  ${m}\n`),
      });
      const result: BenchResult = {
        name: bench.name,
        title: bench.title,
        startedAt,
        machine: machineInfo(),
        postgres: `${database.serverVersion} (${database.source === 'embedded' ? 'embedded, default settings, synchronous_commit=on' : 'DATABASE_URL'})`,
        ...outcome,
        load: { start: loadAtStart, end: os.loadavg()[0]! },
      };
      printResult(result);
      if (record)
        writeFileSync(path.join(resultsDir, `${bench.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    }
    if (record) writeMarkdown(resultsDir, path.join(root, 'docs', 'benchmarks.md'));
  } finally {
    await database.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
