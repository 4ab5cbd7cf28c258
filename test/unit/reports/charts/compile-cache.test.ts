import assert from 'node:assert/strict';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ChartModel } from '../../../../src/reports/charts/chart-model.js';
import { chartSpec } from '../../../../src/reports/charts/render.js';
import { narrowLayout, wideLayout } from '../../../../src/reports/charts/theme.js';
import { renderVegaLite } from '../../../../src/reports/charts/vega-render.js';
import { demoCharts } from '../../../fixtures/charts/demo-charts.js';

/** The plain path: compile the spec with its inline data, no cache. */
async function uncachedSvg(spec: ReturnType<typeof chartSpec>): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec, { logger: vega.logger(vega.None) }).spec), {
    renderer: 'none',
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

describe('the Vega-Lite compile cache', () => {
  it('draws exactly what compiling the spec with its inline data draws, for every kind and layout', async () => {
    for (const model of demoCharts()) {
      for (const layout of [wideLayout, narrowLayout]) {
        const spec = chartSpec(model, layout);
        const cached = (await renderVegaLite(spec)).svg;
        assert.equal(cached, await uncachedSvg(spec), `${model.id} ${layout.name}`);
      }
    }
  });

  it('puts the new numbers into a spec shape it has compiled before', async () => {
    const base = demoCharts().find((c) => c.kind === 'waterfall')!;
    const first = await renderVegaLite(chartSpec(base, wideLayout));
    const changed = {
      ...base,
      rows: base.rows.map((r) => ({ ...r, amount: (r as { amount: number }).amount + 1000 })),
    } as ChartModel;
    const second = await renderVegaLite(chartSpec(changed, wideLayout));
    assert.notEqual(second.svg, first.svg);
    assert.match(second.svg, />\+\$149,200</);
    assert.match(
      second.svg,
      />\$97,250</,
      'net benefit: two benefits up 1,000 each, three costs up 1,000 each',
    );
    assert.equal(second.svg, await uncachedSvg(chartSpec(changed, wideLayout)));
  });
});
