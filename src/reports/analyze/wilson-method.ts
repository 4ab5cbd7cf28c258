/** `yardstick analyze wilson`: Wilson score intervals for completion, mastery and other rates. */
import { z } from 'zod';
import { wilsonInterval } from '../stats/wilson.js';
import { CONFIDENCE_OPTION, confidenceSchema, interval, pct } from './common.js';
import type { AnalyzeMethod } from './method.js';

const count = (what: string) =>
  z.number().int(`${what} must be a whole number`).min(0, `${what} cannot be negative`);

const groupSchema = z
  .strictObject({
    label: z.string().optional(),
    successes: count('successes'),
    trials: count('trials').min(1, 'trials must be at least 1'),
  })
  .refine((g) => g.successes <= g.trials, {
    message: 'successes cannot exceed trials; both must count the same learners',
    path: ['successes'],
  });

const schema = z
  .strictObject({
    confidence: confidenceSchema.default(0.95),
    label: z.string().optional(),
    successes: count('successes').optional(),
    trials: count('trials').optional(),
    groups: z.array(groupSchema).min(1, 'groups needs at least one group').optional(),
  })
  .superRefine((v, ctx) => {
    const single = v.successes !== undefined || v.trials !== undefined;
    if (single === (v.groups !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give either successes and trials (one rate) or groups (several rates), not both or neither',
      });
    }
  })
  .transform((v) => ({
    confidence: v.confidence,
    groups: v.groups ?? [{ label: v.label, successes: v.successes ?? 0, trials: v.trials ?? 0 }],
  }));

type WilsonInput = z.output<typeof schema>;

export interface WilsonRow {
  label: string;
  successes: number;
  trials: number;
  estimate: number;
  lower: number;
  upper: number;
}

export const wilsonMethod: AnalyzeMethod<WilsonInput, { confidence: number; groups: WilsonRow[] }> = {
  id: 'wilson',
  methodName: 'Wilson score interval for a proportion (no continuity correction)',
  summary: 'a rate (completion, mastery) with its Wilson score interval',
  reference: 'prop.test(x, n, correct = FALSE)$conf.int',
  formats: ['json', 'csv'],
  options: [CONFIDENCE_OPTION],
  schema,
  fromCsv(columns) {
    columns.requireRows();
    const labels = columns.texts('label', { optional: true });
    const successes = columns.numbers('successes');
    const trials = columns.numbers('trials');
    return {
      value: {
        groups: columns.table.rows.map((_, i) => ({
          ...(labels[i] !== undefined ? { label: labels[i] } : {}),
          successes: successes[i],
          trials: trials[i],
        })),
      },
      locate: columns.locator('groups', { label: 'label', successes: 'successes', trials: 'trials' }),
    };
  },
  run(input) {
    const groups = input.groups.map((g, i): WilsonRow => {
      const r = wilsonInterval(g.successes, g.trials, input.confidence);
      return {
        label: g.label ?? `group ${i + 1}`,
        successes: g.successes,
        trials: g.trials,
        estimate: r.estimate,
        lower: r.lower,
        upper: r.upper,
      };
    });
    const small = groups.filter((g) => g.trials < 10).map((g) => g.label);
    return {
      summary: {
        groups: groups.length,
        trials: groups.reduce((s, g) => s + g.trials, 0),
        confidence: input.confidence,
      },
      result: { confidence: input.confidence, groups },
      assumptions: [
        'Each trial is one learner and learners succeed or fail independently of each other.',
        'successes and trials count the same learners (e.g. completers among the assigned).',
        'The interval describes sampling variation only; it says nothing about why the rate is what it is.',
      ],
      warnings: small.length
        ? [
            `${small.join(', ')}: fewer than 10 learners, so the interval is wide; report the counts beside the rate`,
          ]
        : [],
    };
  },
  human(output) {
    return output.result.groups.map(
      (g) =>
        `${g.label}: ${g.successes}/${g.trials} = ${pct(g.estimate)}, ${interval(g.lower * 100, g.upper * 100, output.result.confidence, 1)} (percent)`,
    );
  },
  example: {
    json: {
      confidence: 0.95,
      groups: [
        { label: 'Module 1 completion', successes: 45, trials: 60 },
        { label: 'Module 2 completion', successes: 38, trials: 60 },
        { label: 'Quiz mastery', successes: 0, trials: 12 },
      ],
    },
    csv: 'label,successes,trials\nModule 1 completion,45,60\nModule 2 completion,38,60\nQuiz mastery,0,12\n',
  },
};
