import assert from 'node:assert/strict';
import {
  createChartRenderPool,
  warmChartRenderer,
  type ChartRenderer,
} from '../../../../src/reports/charts/render-pool.js';
import { warmUpCharts } from '../../../../src/reports/charts/warm-up-charts.js';
import { renderChart } from '../../../../src/reports/charts/render.js';
import { demoCharts } from '../../../fixtures/charts/demo-charts.js';

describe('chart render pool (worker threads)', function () {
  // A thread loads Vega and compiles the TypeScript sources once, about a second on a busy machine.
  this.timeout(60000);
  let pool: ChartRenderer;
  before(() => {
    pool = createChartRenderPool(2);
  });
  after(async () => pool?.close());

  it('draws every chart kind byte for byte as renderChart does in the main thread', async () => {
    const models = demoCharts();
    const drawn = await Promise.all(models.map((m) => pool.render(m)));
    for (const [i, model] of models.entries()) {
      assert.deepEqual(drawn[i], await renderChart(model), model.kind);
    }
  });

  it("rejects a model renderChart refuses with renderChart's message, and keeps drawing", async () => {
    const [good] = demoCharts();
    const bad = { ...good!, id: 'not a safe id' };
    const reason = await renderChart(bad).then(
      () => 'drawn',
      (e: Error) => e.message,
    );
    await assert.rejects(pool.render(bad), (e: Error) => e.message === reason);
    assert.equal((await pool.render(good!)).status, 'chart');
  });

  it('warms each thread with a model of every kind the reports draw, each a valid chart', async () => {
    const models = warmUpCharts();
    assert.deepEqual(
      new Set(models.map((m) => m.kind)),
      new Set(['proportion-bars', 'quantile-bars', 'likert', 'nps', 'trend', 'group-comparison']),
    );
    for (const model of models) assert.equal((await pool.render(model)).status, 'chart', model.kind);
    await warmChartRenderer(pool, 2);
  });

  it('refuses work once closed', async () => {
    const closed = createChartRenderPool(1);
    await closed.close();
    await assert.rejects(closed.render(demoCharts()[0]!), /closed/);
  });
});
