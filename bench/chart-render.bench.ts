import { pathToFileURL } from 'node:url';
import type { ChartModel } from '../src/reports/charts/chart-model.js';
import { renderChart } from '../src/reports/charts/render.js';
import { demoCharts } from '../test/fixtures/charts/demo-charts.js';
import { machineInfo, percentile, type Benchmark, type Metric } from './harness.js';
import { printResult } from './report.js';

/**
 * Server-side chart rendering: `renderChart` on the demo model of each kind (both layouts, table and
 * alt text included). Cold is the first chart in a fresh process (module loading and JIT included);
 * warm is p50/p95 over repeated renders of the same kind. No database.
 */
export const chartRender: Benchmark = {
  name: 'chart-render',
  title: 'Chart rendering: Vega-Lite to accessible SVG in Node (wide + narrow layout per chart)',
  async run(ctx) {
    const models = demoCharts();
    const metrics: Metric[] = [];
    const coldStart = performance.now();
    await renderChart(models[0]!);
    metrics.push({
      metric: 'cold: first chart in the process',
      value: performance.now() - coldStart,
      unit: 'ms',
    });
    const rounds = Math.max(5, Math.round(40 * ctx.scale));
    for (const model of models) metrics.push(...(await warm(model, rounds)));
    // A new axis title each round changes the spec's shape, so every render compiles Vega-Lite afresh.
    const uncached = models[0]! as Extract<ChartModel, { kind: 'proportion-bars' }>;
    let round = 0;
    const missed = await warm(uncached, rounds, () => ({
      ...uncached,
      options: { ...uncached.options, measure: `Completion rate ${round++}` },
    }));
    metrics.push(...missed.map((m) => ({ ...m, metric: `${m.metric}, compile cache missed` })));
    const pageStart = performance.now();
    await Promise.all(models.map((model) => renderChart(model)));
    metrics.push({
      metric: `warm: a page of all ${models.length} kinds`,
      value: performance.now() - pageStart,
      unit: 'ms',
    });
    ctx.log(`rendered ${rounds} rounds per kind`);
    return {
      method: `renderChart on the ${models.length} demo models (test/fixtures/charts/demo-charts.ts), ${rounds} warm rounds per kind after one warm-up, on one core; each render draws two SVGs.`,
      metrics,
    };
  },
};

async function warm(model: ChartModel, rounds: number, vary?: () => ChartModel): Promise<Metric[]> {
  await renderChart(model);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const input = vary ? vary() : model;
    const start = performance.now();
    await renderChart(input);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return [
    { metric: `warm p50: ${model.kind}`, value: percentile(samples, 0.5), unit: 'ms' },
    { metric: `warm p95: ${model.kind}`, value: percentile(samples, 0.95), unit: 'ms' },
  ];
}

// Runs alone with `node --import tsx bench/chart-render.bench.ts` (no database needed).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outcome = await chartRender.run({
    serverUrl: '',
    postgresVersion: '',
    scale: Number(process.env.BENCH_SCALE ?? '1'),
    log: (m) => process.stdout.write(`  ${m}\n`),
  });
  printResult({
    name: chartRender.name,
    title: chartRender.title,
    startedAt: new Date().toISOString(),
    machine: machineInfo(),
    postgres: 'not used',
    ...outcome,
  });
}
