import type { NpsModel } from './chart-model.js';
import type { ChartKindDefinition } from './chart-kind.js';
import { formatCount, formatPercentPoints, formatPoints } from './format.js';
import { stackedSharesSpec, type StackedItem } from './stacked-shares.js';
import { colors } from './theme.js';

const categories = ['Detractors (0-6)', 'Passives (7-8)', 'Promoters (9-10)'];

interface NpsPlotRow extends StackedItem {
  score: string;
  n: string;
}

/**
 * NPS breakdown per group: detractors, passives and promoters as a 100% stacked bar, with the score
 * (% promoters - % detractors, in points) and the number of answers beside each bar.
 */
export const nps: ChartKindDefinition<NpsModel, NpsPlotRow> = {
  rows: (model) =>
    model.rows.map((row) => {
      const score = formatPoints(row.score);
      const n = formatCount(row.n);
      const counts = [row.detractors, row.passives, row.promoters];
      const percents = [row.detractorPercent, row.passivePercent, row.promoterPercent];
      return {
        label: row.label,
        score,
        n,
        numbers: `NPS ${score} · n = ${n}`,
        segments: categories.map((category, i) => ({
          category,
          count: counts[i]!,
          share: percents[i]! / 100,
          shareText: formatPercentPoints(percents[i]!),
        })),
      };
    }),

  table: (rows, model) => ({
    caption: model.title,
    headers: [model.rowHeader ?? 'Group', 'NPS', ...categories, 'Answers'],
    rows: rows.map((r) => [
      r.label,
      r.score,
      ...r.segments.map((s) => `${formatCount(s.count)} (${s.shareText})`),
      r.n,
    ]),
    notes: ['NPS is % promoters minus % detractors, in points from -100 to +100.'],
  }),

  alt: (rows) =>
    `Stacked bar chart of Net Promoter Score answers for ${rows.length} ${rows.length === 1 ? 'group' : 'groups'}: ${rows
      .map(
        (r) =>
          `${r.label} NPS ${r.score} (${r.segments[2]!.shareText} promoters, ${r.segments[0]!.shareText} detractors, n = ${r.n})`,
      )
      .join('; ')}.`,

  spec: (rows, _model, layout) => stackedSharesSpec(rows, categories, colors.nps, layout, 'Share of answers'),
};
