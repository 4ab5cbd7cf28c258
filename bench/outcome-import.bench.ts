import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createServices } from '../src/services.js';
import type { QualityReport } from '../src/outcomes/quality-report.js';
import { createBenchDatabase } from './bench-database.js';
import type { Benchmark, Metric } from './harness.js';

const MONTHS = 10;

/** Writes `people` x MONTHS payroll rows to a file as a stream. */
async function writePayroll(file: string, people: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('employee_id,period,deferral_pct,employer_match_amount,contribution_amount\n');
  for (let m = 1; m <= MONTHS; m++)
    for (let p = 1; p <= people; p++) {
      const line = `P${p},2024-${String(m).padStart(2, '0')},${(p * 7 + m) % 16}.5,${(p % 90) + 10}.25,${200 + m}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
  out.end();
  await once(out, 'finish');
}

/**
 * The outcome import end to end on a 100,000-row payroll CSV (10,000 people x 10 months): stage
 * (stream-parse, validate, write staging rows, quality report) and accept (one transaction), then the
 * same file again (which must add nothing). Peak RSS is sampled every 10 ms in this process.
 */
export const outcomeImport: Benchmark = {
  name: 'outcome-import',
  title: 'Outcome import: 100,000-row payroll CSV, staged and accepted',
  async run(ctx) {
    const people = Math.round(10_000 * ctx.scale);
    const rows = people * MONTHS;
    const dir = await mkdtemp(path.join(tmpdir(), 'yardstick-bench-outcomes-'));
    const db = await createBenchDatabase(ctx, 'outcomes', 4);
    try {
      const file = path.join(dir, 'payroll.csv');
      await writePayroll(file, people);
      const size = (await stat(file)).size;
      const services = createServices({ db: db.db });
      const tenant = await services.tenants.create('Bench');
      await sql`INSERT INTO person (tenant_id, employee_id)
                SELECT ${tenant.id}, 'P' || g FROM generate_series(1, ${people}) g`.execute(db.db);

      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const importOnce = async () => {
        const created = await services.outcomeImports.create({
          tenantId: tenant.id,
          kind: 'payroll',
          source: 'csv',
          fileName: 'payroll.csv',
          bytesTotal: size,
          actor: 'bench',
        });
        const t0 = performance.now();
        const staged = await services.outcomeImports.stageCsv(
          tenant.id,
          created.id,
          createReadStream(file),
          size,
        );
        const t1 = performance.now();
        if (!(staged.report as QualityReport).acceptable)
          throw new Error('the generated file should be clean');
        const accepted = await services.outcomeImports.accept(tenant.id, created.id, 'bench');
        const t2 = performance.now();
        return { stage: (t1 - t0) / 1000, accept: (t2 - t1) / 1000, applied: accepted.applied! };
      };
      let first, second;
      try {
        first = await importOnce();
        second = await importOnce();
      } finally {
        clearInterval(sampler);
      }
      if (first.applied.inserted !== rows)
        throw new Error(`expected ${rows} inserted, got ${first.applied.inserted}`);
      if (second.applied.inserted + second.applied.updated !== 0)
        throw new Error('the second import changed rows');
      ctx.log(
        `stage ${Math.round(rows / first.stage)} rows/s, accept ${Math.round(rows / first.accept)} rows/s`,
      );
      const metrics: Metric[] = [
        {
          metric: 'stage (parse, validate, staging rows, report)',
          value: rows / first.stage,
          unit: 'rows/s',
        },
        { metric: 'accept (one transaction, upsert)', value: rows / first.accept, unit: 'rows/s' },
        {
          metric: 'stage + accept, first import',
          value: rows / (first.stage + first.accept),
          unit: 'rows/s',
          note: `${(first.stage + first.accept).toFixed(1)} s`,
        },
        {
          metric: 'stage + accept, same file again (adds nothing)',
          value: rows / (second.stage + second.accept),
          unit: 'rows/s',
        },
        {
          metric: 'peak RSS',
          value: peak / 2 ** 20,
          unit: 'MiB',
          note: `baseline ${(baseline / 2 ** 20).toFixed(0)} MiB`,
        },
        { metric: 'peak RSS growth over baseline', value: (peak - baseline) / 2 ** 20, unit: 'MiB' },
        { metric: 'file size', value: size / 2 ** 20, unit: 'MiB' },
      ];
      return {
        method: `${rows.toLocaleString('en-US')} payroll rows (${people.toLocaleString('en-US')} people x ${MONTHS} months) written to a temporary CSV, streamed through the importer service in-process (no HTTP): stage, then accept; then the identical file staged and accepted again. RSS sampled every 10 ms across both imports.`,
        metrics,
      };
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
