import type { GroupComparisonModel } from './chart-model.js';
import type { ChartKindDefinition } from './chart-kind.js';
import { bandFrame, bandText, bandTextLayers, bandY, barOffset } from './band-layers.js';
import { axisFormat, formatConfidence, formatCount, formatInterval, formatValue } from './format.js';
import { seriesColors } from './theme.js';

interface GroupPlotRow {
  measure: string;
  group: string;
  estimate: number;
  lower: number;
  upper: number;
  estimateText: string;
  intervalText: string;
  nText: string;
}

function groupsOf(model: GroupComparisonModel): string[] {
  return model.options.groups ?? [...new Set(model.rows.map((r) => r.group))];
}

/**
 * Treatment vs control (or any groups) side by side: a point estimate with its interval per group and
 * measure, groups of one measure on adjacent bands. All measures of one chart share one unit.
 */
export const groupComparison: ChartKindDefinition<GroupComparisonModel, GroupPlotRow> = {
  rows: (model) => {
    const { unit, currency } = model.options;
    const measures = [...new Set(model.rows.map((r) => r.measure))];
    const groups = groupsOf(model);
    const order = (r: { measure: string; group: string }) =>
      measures.indexOf(r.measure) * groups.length + groups.indexOf(r.group);
    return [...model.rows]
      .sort((a, b) => order(a) - order(b))
      .map((row) => ({
        measure: row.measure,
        group: row.group,
        estimate: row.estimate,
        lower: row.lower,
        upper: row.upper,
        estimateText: formatValue(row.estimate, unit, currency),
        intervalText: formatInterval(row.lower, row.upper, unit, currency),
        nText: formatCount(row.n),
      }));
  },

  table: (rows, model) => ({
    caption: model.title,
    headers: [
      model.rowHeader ?? 'Measure',
      'Group',
      'Estimate',
      `${formatConfidence(model.options.confidence ?? 0.95)} confidence interval`,
      'Learners',
    ],
    rows: rows.map((r) => [r.measure, r.group, r.estimateText, r.intervalText, r.nText]),
    notes: [],
  }),

  alt: (rows, model) =>
    `Dot plot comparing ${groupsOf(model).join(' and ')}: ${rows
      .map((r) => `${r.measure}, ${r.group}: ${r.estimateText} (${r.intervalText}, n = ${r.nText})`)
      .join('; ')}. Lines show ${formatConfidence(model.options.confidence ?? 0.95)} confidence intervals.`,

  spec: (rows, model, layout) => {
    const groups = groupsOf(model);
    const x = {
      type: 'quantitative',
      scale: { zero: false, nice: true },
      axis: {
        format: axisFormat(model.options.unit, model.options.currency),
        title: unitTitle(model.options.unit, model.options.currency),
        tickCount: layout.name === 'wide' ? 8 : 4,
      },
    } as const;
    const color = {
      field: 'group',
      type: 'nominal',
      scale: { domain: groups, range: seriesColors },
      legend: { columns: layout.legendColumns },
    } as const;
    return {
      ...bandFrame(layout),
      data: {
        values: rows.map((r, i) => ({
          ...r,
          ...bandText(i, `${r.measure}: ${r.group}`, `${r.estimateText} (n = ${r.nText})`, layout),
        })),
      },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 2.5, yOffset: barOffset(layout) },
          encoding: { y: bandY, x: { ...x, field: 'lower' }, x2: { field: 'upper' }, color },
        },
        {
          mark: { type: 'point', filled: true, size: 110, yOffset: barOffset(layout), opacity: 1 },
          encoding: {
            y: bandY,
            x: { ...x, field: 'estimate' },
            color,
            shape: { field: 'group', type: 'nominal', scale: { domain: groups }, legend: color.legend },
          },
        },
        ...bandTextLayers(layout),
      ],
    };
  },
};

/** Axis title only where tick labels do not carry the unit themselves. */
function unitTitle(unit: GroupComparisonModel['options']['unit'], currency?: string): string | null {
  if (unit === 'minutes') return 'Minutes';
  if (unit === 'money' && currency && currency !== 'USD') return currency;
  return null;
}
