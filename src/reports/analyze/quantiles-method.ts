/** `yardstick analyze quantiles`: type-7 quantiles (median, 90th percentile) of a sample, per group. */
import { z } from 'zod';
import { meanUnchecked } from '../stats/moments.js';
import { quantiles } from '../stats/quantile.js';
import { fmt } from './common.js';
import type { AnalyzeMethod } from './method.js';

const values = z.array(z.number()).min(1, 'needs at least one value');
const probability = z
  .number()
  .min(0, 'probabilities are between 0 and 1')
  .max(1, 'probabilities are between 0 and 1');

const schema = z
  .strictObject({
    probs: z.array(probability).min(1, 'probs needs at least one probability').default([0.5, 0.9]),
    values: values.optional(),
    groups: z
      .array(z.strictObject({ label: z.string().min(1, 'label cannot be empty'), values }))
      .min(1, 'groups needs at least one group')
      .optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.values === undefined) === (v.groups === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give either values (one sample) or groups (one sample per label), not both or neither',
      });
    }
  })
  .transform((v) => ({ probs: v.probs, groups: v.groups ?? [{ label: 'all', values: v.values ?? [] }] }));

type QuantilesInput = z.output<typeof schema>;

export interface QuantileRow {
  label: string;
  n: number;
  min: number;
  max: number;
  mean: number;
  quantiles: { p: number; value: number }[];
}

export const quantilesMethod: AnalyzeMethod<QuantilesInput, { probs: number[]; groups: QuantileRow[] }> = {
  id: 'quantiles',
  methodName: 'Sample quantiles, Hyndman-Fan type 7',
  summary: 'median, 90th percentile or any quantiles of a sample (e.g. time on task), per group',
  reference: 'quantile(x, probs, type = 7)',
  formats: ['json', 'csv'],
  options: [
    {
      flags: '--probs <list>',
      description: 'probabilities, comma separated, default 0.5,0.9',
      key: 'probs',
      type: 'numbers',
    },
    {
      flags: '--column <name>',
      description: 'CSV column holding the values, default value',
      key: 'column',
      type: 'string',
      csvOnly: true,
    },
  ],
  schema,
  fromCsv(columns, settings) {
    columns.requireRows();
    const column = typeof settings.column === 'string' ? settings.column : 'value';
    const numbers = columns.numbers(column);
    const labels = columns.texts('group', { optional: true });
    const hasGroups = columns.has('group');
    const byGroup = new Map<string, number[]>();
    numbers.forEach((x, i) => {
      if (x === undefined) return;
      const label = hasGroups ? (labels[i] ?? '(no group)') : 'all';
      byGroup.set(label, [...(byGroup.get(label) ?? []), x]);
    });
    return {
      value: { groups: [...byGroup].map(([label, xs]) => ({ label, values: xs })) },
      locate: (path) => (path.length === 1 && path[0] === 'groups' ? 'CSV' : undefined),
    };
  },
  run(input) {
    const groups = input.groups.map((g): QuantileRow => {
      const [min, max, ...qs] = quantiles(g.values, [0, 1, ...input.probs]);
      return {
        label: g.label,
        n: g.values.length,
        min: min!,
        max: max!,
        mean: meanUnchecked(g.values),
        quantiles: input.probs.map((p, i) => ({ p, value: qs[i]! })),
      };
    });
    const warnings = groups.flatMap((g) => {
      const thin = input.probs.filter((p) => p > 0 && p < 1 && g.n * Math.min(p, 1 - p) < 1 - 1e-9);
      return thin.length
        ? [
            `${g.label}: with ${g.n} values the ${thin.map((p) => `${p * 100}th`).join(', ')} percentile rests on the one or two most extreme values; collect more data before reporting it`,
          ]
        : [];
    });
    return {
      summary: { groups: groups.length, values: groups.reduce((s, g) => s + g.n, 0), probs: input.probs },
      result: { probs: input.probs, groups },
      assumptions: [
        'Quantiles interpolate linearly between order statistics (R type 7, the default of quantile() and of spreadsheets PERCENTILE.INC).',
        'The values are measurements of one kind in one unit (e.g. seconds on task); missing values were removed before export.',
      ],
      warnings,
    };
  },
  human(output) {
    return output.result.groups.map(
      (g) =>
        `${g.label} (n = ${g.n}): ${g.quantiles.map((q) => `p${q.p * 100} = ${fmt(q.value)}`).join(', ')}; min ${fmt(g.min)}, max ${fmt(g.max)}, mean ${fmt(g.mean)}`,
    );
  },
  example: {
    json: {
      probs: [0.5, 0.9],
      groups: [
        { label: 'Module 1', values: [312, 405, 288, 951, 377, 420, 365, 298, 1210, 402] },
        { label: 'Module 2', values: [610, 702, 655, 1450, 590, 688, 720, 641] },
      ],
    },
    csv:
      'group,value\n' +
      [312, 405, 288, 951, 377, 420, 365, 298, 1210, 402].map((v) => `Module 1,${v}\n`).join('') +
      [610, 702, 655, 1450, 590, 688, 720, 641].map((v) => `Module 2,${v}\n`).join(''),
  },
};
