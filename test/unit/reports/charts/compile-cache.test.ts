import assert from 'node:assert/strict';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ChartModel } from '../../../../src/reports/charts/chart-model.js';
import { chartSpec } from '../../../../src/reports/charts/render.js';
import { narrowLayout, wideLayout } from '../../../../src/reports/charts/theme.js';
import { renderVegaLite } from '../../../../src/reports/charts/vega-render.js';
import { compileWithCache } from '../../../../src/reports/charts/compile-cache.js';
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

describe('the Vega-Lite compile and parse cache', () => {
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

  it('compiles a trend once whatever its weeks: its tick positions are a param put back after compiling', async () => {
    const base = demoCharts().find((c) => c.kind === 'trend')! as ChartModel & {
      rows: { week: string; series: string; value: number }[];
    };
    const later = {
      ...base,
      rows: base.rows.map((r) => ({
        ...r,
        week: new Date(Date.parse(r.week) + 7 * 7 * 86400000).toISOString().slice(0, 10),
      })),
    } as ChartModel;
    const quiet = () => ({ logger: vega.logger(vega.None), warnings: [] });
    const a = compileWithCache(chartSpec(base, wideLayout), quiet);
    const b = compileWithCache(chartSpec(later, wideLayout), quiet);
    assert.equal(a.spec.marks, b.spec.marks, 'the second trend reuses the first compilation');
    assert.equal(a.runtime(), b.runtime(), 'and its parsed dataflow');
    assert.notDeepEqual(a.spec.signals, b.spec.signals, 'with its own tick positions');
    const svg = (await renderVegaLite(chartSpec(later, wideLayout))).svg;
    assert.equal(svg, await uncachedSvg(chartSpec(later, wideLayout)));
  });
});
