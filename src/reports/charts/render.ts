import type { TopLevelSpec } from 'vega-lite';
import type { ChartModel, ChartTable, RenderedChart } from './chart-model.js';
import type { ChartKindDefinition } from './chart-kind.js';
import { assertChartId, makeAccessibleSvg } from './accessible-svg.js';
import { formatCount, formatDate } from './format.js';
import { groupComparison } from './group-comparison.js';
import { likert } from './likert.js';
import { nps } from './nps.js';
import { proportionBars } from './proportion-bars.js';
import { quantileBars } from './quantile-bars.js';
import { narrowLayout, wideLayout, type ChartLayout } from './theme.js';
import { trend } from './trend.js';
import { renderVegaLite } from './vega-render.js';
import { waterfall } from './waterfall.js';

type KindMap = { [K in ChartModel['kind']]: ChartKindDefinition<Extract<ChartModel, { kind: K }>, object> };

const kinds: KindMap = {
  'proportion-bars': proportionBars,
  'quantile-bars': quantileBars,
  likert,
  nps,
  trend,
  waterfall,
  'group-comparison': groupComparison,
};

/**
 * Renders a chart model to accessible SVG (a wide and a narrow layout) plus the table of the same
 * numbers. A model with no rows, or one marked `suppressed` (fewer learners than the privacy minimum),
 * renders no SVG at all: `status` says why and `message` is the sentence to show instead.
 *
 * Output is deterministic: the same model always gives byte-identical SVG and table.
 *
 * @throws Error when the id is not a safe element id or vega cannot compile the spec.
 */
export async function renderChart(chart: ChartModel): Promise<RenderedChart> {
  assertChartId(chart.id);
  const dataAsOf = chart.dataAsOf ? `Data as of ${formatDate(chart.dataAsOf)}` : '';
  const base = {
    id: chart.id,
    title: chart.title,
    description: chart.description,
    kind: chart.kind,
    dataAsOf,
  };
  if (chart.suppressed) {
    const message = `Not shown to protect privacy: fewer than ${formatCount(chart.suppressed.minimumGroupSize)} learners are in this group.`;
    return {
      ...base,
      status: 'suppressed',
      svg: '',
      svgNarrow: '',
      table: emptyTable(chart),
      alt: message,
      message,
    };
  }
  if (chart.rows.length === 0) {
    const message = 'No data yet for this chart.';
    return {
      ...base,
      status: 'empty',
      svg: '',
      svgNarrow: '',
      table: emptyTable(chart),
      alt: message,
      message,
    };
  }
  assertFiniteNumbers(chart);
  const kind = kindOf(chart);
  const rows = kind.rows(chart);
  const table = kind.table(rows, chart);
  const alt = kind.alt(rows, chart);
  const draw = (layout: ChartLayout) =>
    drawSvg(kind, rows, chart, layout, dataAsOf ? `${alt} ${dataAsOf}.` : alt);
  const [svg, svgNarrow] = [await draw(wideLayout), await draw(narrowLayout)];
  return { ...base, status: 'chart', svg, svgNarrow, table, alt, message: '' };
}

async function drawSvg(
  kind: ChartKindDefinition<ChartModel, object>,
  rows: object[],
  chart: ChartModel,
  layout: ChartLayout,
  alt: string,
): Promise<string> {
  const { svg } = await renderVegaLite(kind.spec(rows, chart, layout));
  return makeAccessibleSvg(svg, {
    idPrefix: `${chart.id}-${layout.name}`,
    title: chart.title,
    description: `${chart.description} ${alt}`.trim(),
    className: `chart-${layout.name}`,
  });
}

/**
 * The Vega-Lite spec a chart model is drawn from, for one layout; exposed for tests and for debugging a
 * chart in the Vega editor. Assumes the model has rows and is not suppressed.
 */
export function chartSpec(chart: ChartModel, layout: ChartLayout): TopLevelSpec {
  const kind = kindOf(chart);
  return kind.spec(kind.rows(chart), chart, layout);
}

function kindOf(chart: ChartModel): ChartKindDefinition<ChartModel, object> {
  return kinds[chart.kind] as ChartKindDefinition<ChartModel, object>;
}

/** A NaN or Infinity would draw nothing and print "NaN%"; it always means an upstream bug. */
function assertFiniteNumbers(chart: ChartModel): void {
  chart.rows.forEach((row, index) => {
    for (const [field, value] of Object.entries(row)) {
      const values = Array.isArray(value) ? value : [value];
      const bad = values.find((v) => typeof v === 'number' && !Number.isFinite(v));
      if (bad !== undefined) {
        throw new Error(
          `chart "${chart.id}" row ${index + 1}: ${field} is ${String(bad)}; charts need finite numbers, so check the calculator that produced this row.`,
        );
      }
    }
  });
}

function emptyTable(chart: ChartModel): ChartTable {
  return { caption: chart.title, headers: [], rows: [], notes: [] };
}
