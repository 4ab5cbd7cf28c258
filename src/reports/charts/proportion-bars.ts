import type { ProportionBarsModel } from './chart-model.js';
import type { ChartKindDefinition } from './chart-kind.js';
import { bandFrame, bandText, bandTextLayers, bandY, barOffset, barSize } from './band-layers.js';
import { formatConfidence, formatCount, formatInterval, formatPercent } from './format.js';
import { colors } from './theme.js';

interface ProportionPlotRow {
  label: string;
  estimate: number;
  lower: number;
  upper: number;
  rate: string;
  interval: string;
  counts: string;
}

function measureOf(model: ProportionBarsModel): string {
  return model.options?.measure ?? 'Rate';
}

/**
 * Rate bars (completion, mastery) with Wilson interval error bars; every bar states its denominator
 * ("72.0% (18 of 25)") so a reader never sees a rate without the number of learners behind it.
 */
export const proportionBars: ChartKindDefinition<ProportionBarsModel, ProportionPlotRow> = {
  rows: (model) =>
    model.rows.map((row) => ({
      label: row.label,
      estimate: row.estimate,
      lower: row.lower,
      upper: row.upper,
      rate: formatPercent(row.estimate),
      interval: formatInterval(row.lower, row.upper, 'proportion'),
      counts: `${formatCount(row.successes)} of ${formatCount(row.trials)}`,
    })),

  table: (rows, model) => {
    const [did, of] = model.options?.countNames ?? ['counted', 'total'];
    const level = formatConfidence(model.options?.confidence ?? 0.95);
    return {
      caption: model.title,
      headers: [
        model.rowHeader ?? 'Module',
        measureOf(model),
        `${level} confidence interval`,
        `${capitalize(did)} of ${of}`,
      ],
      rows: rows.map((r) => [r.label, r.rate, r.interval, r.counts]),
      notes: [],
    };
  },

  alt: (rows, model) => {
    const sorted = [...rows].sort((a, b) => b.estimate - a.estimate);
    const high = sorted[0]!;
    const low = sorted[sorted.length - 1]!;
    const level = formatConfidence(model.options?.confidence ?? 0.95);
    const range =
      rows.length === 1
        ? `${high.label}: ${high.rate} (${high.counts})`
        : `highest ${high.label} at ${high.rate} (${high.counts}), lowest ${low.label} at ${low.rate} (${low.counts})`;
    return `Bar chart of ${measureOf(model).toLowerCase()} for ${rows.length} ${rows.length === 1 ? 'category' : 'categories'}; ${range}. Error bars show ${level} Wilson confidence intervals.`;
  },

  spec: (rows, model, layout) => ({
    ...bandFrame(layout),
    data: {
      values: rows.map((r, i) => ({ ...r, ...bandText(i, r.label, `${r.rate} (${r.counts})`, layout) })),
    },
    layer: [
      {
        mark: { type: 'bar', color: colors.primaryLight, size: barSize, yOffset: barOffset(layout) },
        encoding: {
          y: bandY,
          x: {
            field: 'estimate',
            type: 'quantitative',
            scale: { domain: [0, 1], nice: false },
            axis: { format: '.0%', title: measureOf(model), tickCount: layout.name === 'wide' ? 10 : 4 },
          },
        },
      },
      {
        mark: { type: 'rule', color: colors.text, strokeWidth: 2, yOffset: barOffset(layout) },
        encoding: { y: bandY, x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } },
      },
      ...(['lower', 'upper'] as const).map((field) => ({
        mark: {
          type: 'tick' as const,
          color: colors.text,
          thickness: 2,
          size: barSize - 2,
          yOffset: barOffset(layout),
        },
        encoding: { y: bandY, x: { field, type: 'quantitative' as const } },
      })),
      ...bandTextLayers(layout),
    ],
  }),
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
