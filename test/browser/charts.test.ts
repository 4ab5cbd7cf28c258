/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../support/browser.js';
import type { ChartModel } from '../../src/reports/charts/chart-model.js';
import { renderChart } from '../../src/reports/charts/render.js';
import { writeChartDemoPage } from '../support/chart-demo-page.js';
import { demoCharts } from '../fixtures/charts/demo-charts.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const artifacts = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts');

/** Every demo chart plus a suppressed and an empty one, as a report page would show them. */
function pageModels(): ChartModel[] {
  const completion = demoCharts()[0]!;
  return [
    ...demoCharts(),
    {
      ...completion,
      id: 'small-cohort',
      title: 'Completion in a small cohort',
      suppressed: { minimumGroupSize: 5 },
    },
    { ...completion, id: 'no-data', title: 'Completion this week', rows: [] } as ChartModel,
  ];
}

interface TextScale {
  id: string;
  layout: string;
  smallestPx: number;
}

/** Rendered size in CSS px of the smallest text in each visible chart SVG (font size x viewBox scale). */
async function visibleTextSizes(page: Page): Promise<TextScale[]> {
  return page.$$eval('figure.chart svg[role="img"]', (svgs) =>
    svgs
      .filter((svg) => svg.getBoundingClientRect().width > 0)
      .map((svg) => {
        const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
        const sizes = [...svg.querySelectorAll('text')]
          .filter((t) => (t.textContent ?? '').trim() !== '')
          .map((t) => parseFloat(t.getAttribute('font-size') ?? '11'));
        return {
          id: svg.closest('figure')!.id,
          layout: svg.classList.contains('chart-narrow') ? 'narrow' : 'wide',
          smallestPx: Math.min(...sizes) * scale,
        };
      }),
  );
}

describe('charts in a browser (headless Chromium)', function () {
  this.timeout(90_000);
  let browser: Browser;
  let url: string;

  before(async function () {
    if (!existsSync(CHROMIUM_PATH)) this.skip();
    url = pathToFileURL(await writeChartDemoPage('charts-demo', pageModels())).href;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  for (const width of [1024, 360]) {
    describe(`at ${width} px`, () => {
      let page: Page;
      before(async () => {
        page = await browser.newPage({ viewport: { width, height: 900 }, javaScriptEnabled: false });
        await page.goto(url);
        await page.screenshot({ path: path.join(artifacts, `charts-${width}.png`), fullPage: true });
      });
      after(async () => page.close());

      it('fits the page width without horizontal scrolling', async () => {
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= width, `page is ${scrollWidth} px wide in a ${width} px viewport`);
      });

      it(`shows the ${width < 600 ? 'narrow' : 'wide'} layout of each chart, parsed as SVG with its title`, async () => {
        const shown = await page.$$eval('figure.chart svg[role="img"]', (svgs) =>
          svgs
            .filter((svg) => svg.getBoundingClientRect().width > 0)
            .map((svg) => ({
              layout: svg.classList.contains('chart-narrow') ? 'narrow' : 'wide',
              title: document.getElementById(svg.getAttribute('aria-labelledby')!)?.textContent,
              inside: svg.getBoundingClientRect().right <= document.documentElement.clientWidth,
            })),
        );
        assert.equal(shown.length, demoCharts().length);
        for (const s of shown) {
          assert.equal(s.layout, width < 600 ? 'narrow' : 'wide');
          assert.ok(s.title, 'aria-labelledby points at a <title>');
          assert.ok(s.inside, 'the chart stays inside the viewport');
        }
      });

      it('keeps chart text at a readable size (at least 10.5 px on screen)', async () => {
        const sizes = await visibleTextSizes(page);
        const small = sizes.filter((s) => s.smallestPx < 10.5);
        assert.deepEqual(small, [], JSON.stringify(sizes));
      });

      it('opens the data table without JavaScript', async () => {
        const figure = page.locator('figure#completion');
        assert.equal(await figure.locator('details table').isVisible(), false);
        await figure.locator('summary').click();
        assert.equal(await figure.locator('details table').isVisible(), true);
        await figure.screenshot({ path: path.join(artifacts, `charts-${width}-table-open.png`) });
        const firstRow = await figure.locator('details tbody tr').first().innerText();
        assert.match(firstRow, /Why save for retirement\s+76\.7%\s+68\.3% to 83\.4%\s+92 of 120/);
      });

      it('has no serious or critical axe-core violations, tables open', async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        const axePage = await context.newPage();
        try {
          await axePage.goto(url);
          await axePage.$$eval('details', (all) =>
            all.forEach((d) => ((d as HTMLDetailsElement).open = true)),
          );
          await axePage.addScriptTag({ path: axePath });
          const violations = await axePage.evaluate(async () => {
            const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<AxeResults> } }).axe;
            interface AxeResults {
              violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
            }
            const results = await axe.run(document);
            return results.violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
            }));
          });
          const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          assert.deepEqual(blocking, [], JSON.stringify(violations, null, 2));
        } finally {
          await context.close();
        }
      });
    });
  }

  it("parses every chart SVG with the browser's strict XML parser", async () => {
    const charts = await Promise.all(pageModels().map((model) => renderChart(model)));
    const svgs = charts.flatMap((c) => [c.svg, c.svgNarrow]).filter((svg) => svg !== '');
    const page = await browser.newPage();
    try {
      const errors = await page.evaluate((all) => {
        return all.map((svg) => {
          const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
          const error = doc.querySelector('parsererror');
          return error ? error.textContent : doc.documentElement.namespaceURI;
        });
      }, svgs);
      assert.equal(svgs.length, demoCharts().length * 2);
      for (const result of errors) assert.equal(result, 'http://www.w3.org/2000/svg');
    } finally {
      await page.close();
    }
  });

  it('prints every table and the wide chart, without the toggles', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 }, javaScriptEnabled: false });
    try {
      await page.goto(url);
      await page.emulateMedia({ media: 'print' });
      const state = await page.$$eval('figure.chart', (figures) =>
        figures.map((f) => ({
          id: f.id,
          printTable: f.querySelector('.chart-table-print table')?.getBoundingClientRect().height ?? -1,
          toggle: f.querySelector('details')?.getBoundingClientRect().height ?? -1,
          wide: f.querySelector('.chart-frame-wide svg')?.getBoundingClientRect().width ?? -1,
        })),
      );
      for (const s of state.filter((f) => f.printTable !== -1)) {
        assert.ok(s.printTable > 0, `${s.id}: table prints`);
        assert.equal(s.toggle, 0, `${s.id}: toggle hidden in print`);
        assert.ok(s.wide > 0, `${s.id}: wide chart prints`);
      }
      assert.equal(state.filter((f) => f.printTable > 0).length, demoCharts().length);
      await page.screenshot({ path: path.join(artifacts, 'charts-print.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
