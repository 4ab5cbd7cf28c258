import { sql } from 'kysely';
import { createServices } from '../src/services.js';
import { createProgramEconomicsRepository } from '../src/storage/repositories/program-economics-repository.js';
import { bootstrapRoi } from '../src/reports/roi/bootstrap-roi.js';
import { SeededRandom } from '../src/dev/synthetic/random.js';
import { createBenchDatabase } from './bench-database.js';
import { percentile, type Benchmark } from './harness.js';

const RUNS = 7;

/**
 * The program ROI report with its participant bootstrap (2,000 resamples, percentile and BCa) over
 * 10,000 participants whose person-level contributions are stored, as an admin's page view builds it:
 * read the program's costs, assumptions, effects and contributions from PostgreSQL, compute the exact
 * Phillips figures, the sensitivity table and the bootstrap. The bootstrap calculator alone is timed too.
 */
export const roiBootstrap: Benchmark = {
  name: 'roi-bootstrap',
  title: 'ROI report with 2,000 bootstrap resamples over 10,000 participants',
  async run(ctx) {
    const participants = Math.max(10, Math.round(10_000 * ctx.scale));
    const resamples = 2000;
    const db = await createBenchDatabase(ctx, 'roi', 4);
    try {
      const services = createServices({ db: db.db });
      const tenant = await services.tenants.create('Bench');
      const { rows } = await sql<{ id: string }>`
        INSERT INTO person (tenant_id, employee_id)
        SELECT ${tenant.id}, 'P' || g FROM generate_series(1, ${participants}) g RETURNING id`.execute(db.db);
      const program = await services.programs.create(tenant.id, { name: 'Bench program' });
      const rnd = new SeededRandom(7);
      const contributions = rows.map((r) => ({ personId: r.id, improvement: rnd.normal(1.5, 4) }));
      const mean = contributions.reduce((s, c) => s + c.improvement, 0) / participants;
      await createProgramEconomicsRepository(db.db).saveEffect(
        tenant.id,
        program.id,
        {
          outcome: 'absence_days',
          unitsPerParticipant: String(mean),
          lower: String(mean - 0.1),
          upper: String(mean + 0.1),
          participants,
          method: 'randomized',
          note: 'bench',
        },
        contributions,
      );
      await services.economics.setCostModel(tenant.id, program.id, { delivery: 100 * participants });
      await services.economics.setAssumption(tenant.id, program.id, {
        outcome: 'absence_days',
        label: 'Absence days avoided',
        unit: 'day',
        valuePerUnit: 250,
        source: 'bench',
        confidencePercent: 90,
      });

      const reportMs: number[] = [];
      let conservative = '';
      for (let i = 0; i < RUNS; i += 1) {
        const t0 = performance.now();
        const report = await services.roiReports.build(tenant.id, program, { resamples });
        reportMs.push(performance.now() - t0);
        if (!report.bootstrap) throw new Error(report.bootstrapUnavailable ?? 'no bootstrap');
        conservative = report.bootstrap.conservativeRoiPercent;
      }
      const benefit = contributions.map((c) => c.improvement * 225);
      const calcMs: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const t0 = performance.now();
        bootstrapRoi({ benefitPerParticipant: benefit, fixedCost: 100 * participants, resamples, seed: i });
        calcMs.push(performance.now() - t0);
      }
      reportMs.sort((a, b) => a - b);
      calcMs.sort((a, b) => a - b);
      ctx.log(
        `report median ${percentile(reportMs, 0.5).toFixed(0)} ms, calculator median ${percentile(calcMs, 0.5).toFixed(0)} ms; conservative ROI ${conservative}%`,
      );
      return {
        method: `${participants.toLocaleString('en-US')} participants with stored person-level contributions to one randomized effect; the program ROI report (services.roiReports.build, in-process, no HTTP) built ${RUNS} times with ${resamples} bootstrap resamples (percentile and BCa, seeded), then the bootstrapRoi calculator alone ${RUNS} times on the same benefits.`,
        metrics: [
          {
            metric: 'ROI report incl. bootstrap, median',
            value: percentile(reportMs, 0.5) / 1000,
            unit: 's',
            target: '< 1 s',
          },
          { metric: 'ROI report incl. bootstrap, slowest', value: reportMs[RUNS - 1]! / 1000, unit: 's' },
          { metric: 'bootstrap calculator alone, median', value: percentile(calcMs, 0.5) / 1000, unit: 's' },
          { metric: 'participants', value: participants, unit: 'people' },
        ],
      };
    } finally {
      await db.drop();
    }
  },
};
