import type { QuantileBarsModel } from './chart-model.js';
import type { ChartKindDefinition } from './chart-kind.js';
import { bandFrame, bandText, bandTextLayers, bandY, barOffset, barSize } from './band-layers.js';
import { formatCount, formatMinutes } from './format.js';
import { colors } from './theme.js';

interface QuantilePlotRow {
  label: string;
  median: number;
  p90: number;
  medianText: string;
  p90Text: string;
  sessionsText: string;
}

/**
 * Time on task per module as a bullet bar: a light bar to the 90th percentile with a dark bar to the
 * median inside it, both in minutes, with the session count (and how many were estimated) in the table.
 */
export const quantileBars: ChartKindDefinition<QuantileBarsModel, QuantilePlotRow> = {
  rows: (model) =>
    model.rows.map((row) => ({
      label: row.label,
      median: row.median,
      p90: row.p90,
      medianText: formatMinutes(row.median),
      p90Text: formatMinutes(row.p90),
      sessionsText:
        row.estimatedSessions === undefined
          ? formatCount(row.sessions)
          : `${formatCount(row.sessions)} (${formatCount(row.estimatedSessions)} estimated)`,
    })),

  table: (rows, model) => ({
    caption: model.title,
    headers: [model.rowHeader ?? 'Module', 'Median time', '90th percentile', 'Sessions'],
    rows: rows.map((r) => [r.label, r.medianText, r.p90Text, r.sessionsText]),
    notes: [
      'Quantiles are R type 7 over sessions; estimated sessions were abandoned or capped for idle time.',
    ],
  }),

  alt: (rows) => {
    const longest = [...rows].sort((a, b) => b.median - a.median)[0]!;
    return `Bar chart of time on task for ${rows.length} ${rows.length === 1 ? 'module' : 'modules'}: dark bars show the median, light bars the 90th percentile; the longest median is ${longest.label} at ${longest.medianText} (90th percentile ${longest.p90Text}).`;
  },

  spec: (rows, _model, layout) => {
    const x = (field: 'median' | 'p90') =>
      ({
        field,
        type: 'quantitative',
        scale: { domainMin: 0, nice: true },
        axis: {
          format: ',.0f',
          title: 'Minutes per learner (total)',
          tickCount: layout.name === 'wide' ? 8 : 4,
        },
      }) as const;
    return {
      ...bandFrame(layout),
      data: {
        values: rows.map((r, i) => ({
          ...r,
          ...bandText(i, r.label, `median ${r.medianText} · p90 ${r.p90Text}`, layout),
        })),
      },
      layer: [
        {
          mark: { type: 'bar', color: colors.primaryLight, size: barSize, yOffset: barOffset(layout) },
          encoding: { y: bandY, x: x('p90') },
        },
        {
          mark: { type: 'bar', color: colors.primary, size: barSize / 2, yOffset: barOffset(layout) },
          encoding: { y: bandY, x: x('median') },
        },
        ...bandTextLayers(layout),
      ],
    };
  },
};
