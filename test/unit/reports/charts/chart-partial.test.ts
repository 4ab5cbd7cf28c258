import assert from 'node:assert/strict';
import type { ChartModel } from '../../../../src/reports/charts/chart-model.js';
import { renderChart } from '../../../../src/reports/charts/render.js';
import { renderChartFigures } from '../../../support/chart-demo-page.js';
import { demoCharts } from '../../../fixtures/charts/demo-charts.js';

async function figureFor(model: ChartModel): Promise<string> {
  const [html] = await renderChartFigures([await renderChart(model)]);
  return html!;
}

function completion(): ChartModel {
  return demoCharts().find((c) => c.id === 'completion')!;
}

describe('the chart partial (views/partials/chart.hbs)', () => {
  it('renders a figure with both SVG layouts inline and a caption naming the figure', async () => {
    const html = await figureFor(completion());
    assert.match(
      html,
      /<figure class="chart chart-proportion-bars" id="completion" aria-labelledby="completion-caption">/,
    );
    assert.match(html, /<div class="chart-frame chart-frame-wide"><svg [^>]*role="img"/);
    assert.match(html, /<div class="chart-frame chart-frame-narrow"><svg [^>]*role="img"/);
    assert.match(
      html,
      /<figcaption id="completion-caption">\s*<span class="chart-title">Module completion rate<\/span>/,
    );
  });

  it('offers the numbers as a table behind a no-JavaScript <details> toggle, plus a print-only copy', async () => {
    const html = await figureFor(completion());
    assert.match(
      html,
      /<details class="chart-table-toggle">\s*<summary>Show the numbers as a table<\/summary>/,
    );
    assert.equal((html.match(/<table class="chart-table">/g) ?? []).length, 2);
    assert.match(html, /<div class="chart-table-print" aria-hidden="true">/);
    assert.doesNotMatch(html, /<script/);
  });

  it('puts the same display strings in the table cells as the SVG labels', async () => {
    const chart = await renderChart(completion());
    const [html] = await renderChartFigures([chart]);
    assert.match(
      html!,
      /<th scope="row">Why save for retirement<\/th><td>76\.7%<\/td><td>68\.3% to 83\.4%<\/td><td>92 of 120<\/td>/,
    );
    assert.ok(chart.svg.includes('>76.7% (92 of 120)</text>'));
    assert.match(html!, /<th scope="col">Completion rate<\/th>/);
  });

  it('escapes user text in the caption, table and notes', async () => {
    const script = '<script>alert(1)</script>';
    const model = {
      ...completion(),
      title: script,
      description: script,
      rows: [{ label: script, successes: 3, trials: 6, estimate: 0.5, lower: 0.19, upper: 0.81 }],
    } as ChartModel;
    const html = await figureFor(model);
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /<span class="chart-title">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/span>/);
    assert.match(html, /<th scope="row">&lt;script&gt;/);
  });

  it('says how fresh the data is when the model gives a date', async () => {
    const html = await figureFor({ ...completion(), dataAsOf: '2026-03-27' });
    assert.match(html, /<span class="chart-as-of">Data as of Mar 27, 2026<\/span>/);
    assert.match(html, /<desc id="completion-wide-desc">[^<]*Data as of Mar 27, 2026\.<\/desc>/);
    assert.doesNotMatch(await figureFor(completion()), /chart-as-of/);
  });

  it('shows the suppression message and no table for a suppressed chart', async () => {
    const html = await figureFor({ ...completion(), suppressed: { minimumGroupSize: 5 } });
    assert.match(
      html,
      /<p class="chart-message chart-message-suppressed">Not shown to protect privacy: fewer than 5 learners are in this group\.<\/p>/,
    );
    assert.doesNotMatch(html, /<svg|<table|<details/);
  });

  it('shows the empty message for a chart without rows', async () => {
    const html = await figureFor({ ...completion(), rows: [] } as ChartModel);
    assert.match(html, /<p class="chart-message chart-message-empty">No data yet for this chart\.<\/p>/);
  });
});
