import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { create } from 'express-handlebars';
import type { ChartModel, RenderedChart } from '../../src/reports/charts/chart-model.js';
import { renderChart } from '../../src/reports/charts/render.js';
import { helpers } from '../../src/web/view-helpers.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Renders rendered charts through the real `views/partials/chart.hbs`, one figure each. */
export async function renderChartFigures(charts: RenderedChart[]): Promise<string[]> {
  const hbs = create({ extname: '.hbs', partialsDir: path.join(root, 'views/partials'), helpers });
  const partials = (await hbs.getPartials()) as Record<string, HandlebarsTemplateDelegate>;
  const figure = hbs.handlebars.compile('{{> chart this}}', { strict: false });
  return charts.map((chart) => figure(chart, { partials, helpers }));
}

/**
 * Renders chart models into a standalone HTML page at `test-artifacts/<name>.html` that links the real
 * stylesheets by relative path, so it also opens from disk. Returns the page's path.
 */
export async function writeChartDemoPage(name: string, models: ChartModel[]): Promise<string> {
  const figures = await renderChartFigures(await Promise.all(models.map((model) => renderChart(model))));
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Chart demo · Yardstick</title>
  <link rel="stylesheet" href="../public/app.css">
  <link rel="stylesheet" href="../public/charts.css">
</head>
<body>
  <header class="topbar"><span class="brand">Yardstick</span><span class="context">Chart demo</span></header>
  <main id="main" class="page">
    <h1>Every chart kind</h1>
${figures.map((figure) => `    <section class="panel">\n${figure}\n    </section>`).join('\n')}
  </main>
</body>
</html>
`;
  const dir = path.join(root, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.html`);
  writeFileSync(file, html);
  return file;
}
