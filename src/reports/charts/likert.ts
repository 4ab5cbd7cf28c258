import type { LikertModel } from './chart-model.js';
import type { ChartKindDefinition } from './chart-kind.js';
import { formatCount } from './format.js';
import { segmentsFromCounts, stackedSharesSpec, type StackedItem } from './stacked-shares.js';
import { divergingColors } from './theme.js';

/**
 * Likert items as 100% stacked bars, scale points ordered from the most negative (left, red) to the most
 * positive (right, blue), with the number of answers per item. Answers are counts, never per person.
 */
export const likert: ChartKindDefinition<LikertModel, StackedItem> = {
  rows: (model) =>
    model.rows.map((row) => {
      if (row.counts.length !== model.options.scale.length) {
        throw new Error(
          `Likert item "${row.label}" has ${row.counts.length} counts but the scale has ${model.options.scale.length} points; give one count per scale point.`,
        );
      }
      const n = row.counts.reduce((sum, c) => sum + c, 0);
      return {
        label: row.label,
        numbers: `n = ${formatCount(n)}`,
        segments: segmentsFromCounts(model.options.scale, row.counts),
      };
    }),

  table: (items, model) => ({
    caption: model.title,
    headers: [model.rowHeader ?? 'Survey item', ...model.options.scale, 'Answers'],
    rows: items.map((item) => [
      item.label,
      ...item.segments.map((s) => `${formatCount(s.count)} (${s.shareText})`),
      item.numbers.replace('n = ', ''),
    ]),
    notes: [],
  }),

  alt: (items, model) => {
    const scale = model.options.scale;
    return `Stacked bar chart of answers to ${items.length} survey ${items.length === 1 ? 'item' : 'items'} on a ${scale.length}-point scale from "${scale[0]}" to "${scale[scale.length - 1]}"; ${items
      .map(
        (item) =>
          `${item.label}: ${item.segments[item.segments.length - 1]!.shareText} ${scale[scale.length - 1]}`,
      )
      .join('; ')}.`;
  },

  spec: (items, model, layout) =>
    stackedSharesSpec(
      items,
      model.options.scale,
      divergingColors(model.options.scale.length),
      layout,
      'Share of answers',
    ),
};
