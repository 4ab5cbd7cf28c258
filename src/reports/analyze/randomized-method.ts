/**
 * `yardstick analyze randomized`: treatment minus control in a randomized pilot, for a continuous
 * outcome (Welch or pooled t) or a binary one (difference in proportions, Newcombe or Wald).
 */
import { z } from 'zod';
import { meanDifference, proportionDifference } from '../stats/two-sample.js';
import { listForMessage } from '../stats/matrix-errors.js';
import { standardDeviation } from '../stats/moments.js';
import { CONFIDENCE_OPTION, confidenceSchema, fmt, interval, pct, pValue } from './common.js';
import type { AnalyzeMethod, MethodReport } from './method.js';

const sample = (group: string) => z.array(z.number()).min(2, `${group} needs at least 2 outcomes`);
const counts = z
  .strictObject({
    successes: z.number().int('successes must be a whole number').min(0, 'successes cannot be negative'),
    trials: z.number().int('trials must be a whole number').min(1, 'trials must be at least 1'),
  })
  .refine((c) => c.successes <= c.trials, { message: 'successes cannot exceed trials', path: ['successes'] });

const continuous = z.strictObject({
  outcome: z.literal('continuous'),
  confidence: confidenceSchema.default(0.95),
  equalVariances: z.boolean().default(false),
  treatment: sample('treatment'),
  control: sample('control'),
});

const binary = z.strictObject({
  outcome: z.literal('binary'),
  confidence: confidenceSchema.default(0.95),
  interval: z.enum(['newcombe', 'wald']).default('newcombe'),
  treatment: counts,
  control: counts,
});

const schema = z.preprocess(
  (v) => (v && typeof v === 'object' && !('outcome' in v) ? { ...v, outcome: 'continuous' } : v),
  z.discriminatedUnion('outcome', [continuous, binary], {
    error: 'outcome must be "continuous" (a mean difference) or "binary" (a difference in proportions)',
  }),
);

type RandomizedInput = z.output<typeof schema>;

const GROUPS: Record<string, 'treatment' | 'control'> = {
  treatment: 'treatment',
  treated: 'treatment',
  '1': 'treatment',
  control: 'control',
  '0': 'control',
};

const ASSUMPTIONS = [
  'Learners were randomly assigned to treatment and control, so the groups differ only by chance and by the training.',
  'Learners are independent (no clustering by team or site; use did for clustered data) and the control group did not receive the training (no spillover).',
  'Outcomes were measured the same way and over the same window in both groups.',
];

export const randomizedMethod: AnalyzeMethod<RandomizedInput, Record<string, unknown>> = {
  id: 'randomized',
  methodName: 'Randomized comparison: Welch two-sample t interval for the difference in means',
  summary: 'treatment minus control in a randomized pilot (difference in means or in proportions)',
  reference: 't.test(treatment, control)',
  formats: ['json', 'csv'],
  options: [
    CONFIDENCE_OPTION,
    {
      flags: '--outcome <kind>',
      description: 'continuous (default) or binary (0/1 outcomes)',
      key: 'outcome',
      type: 'string',
    },
    {
      flags: '--equal-variances',
      description: 'pooled t interval instead of Welch (continuous)',
      key: 'equalVariances',
      type: 'boolean',
    },
    {
      flags: '--interval <method>',
      description: 'newcombe (default) or wald (binary)',
      key: 'interval',
      type: 'string',
    },
  ],
  argumentPaths: {
    x: 'treatment',
    y: 'control',
    successes: 'treatment.successes',
    trials: 'treatment.trials',
  },
  schema,
  fromCsv(columns, settings) {
    columns.requireRows(4);
    const groups = columns.choices('group', Object.keys(GROUPS));
    const y = columns.numbers('y');
    const rows = columns.table.rows;
    const pick = (group: 'treatment' | 'control') =>
      y
        .filter((_, i) => groups[i] !== undefined && GROUPS[groups[i]!] === group)
        .filter((v) => v !== undefined);
    if (settings.outcome !== 'binary') {
      return { value: { treatment: pick('treatment'), control: pick('control') }, locate: () => undefined };
    }
    const notBinary = rows
      .filter((_, i) => y[i] !== undefined && y[i] !== 0 && y[i] !== 1)
      .map((r) => r.line);
    if (notBinary.length) {
      columns.addProblem({
        path: 'CSV column y',
        message: `a binary outcome is 0 or 1, but the CSV column y is not on ${notBinary.length === 1 ? 'row' : 'rows'} ${listForMessage(notBinary, 10)}`,
      });
    }
    const tally = (group: 'treatment' | 'control') => {
      const values = pick(group);
      return { successes: values.filter((v) => v === 1).length, trials: values.length };
    };
    return { value: { treatment: tally('treatment'), control: tally('control') }, locate: () => undefined };
  },
  run(input) {
    return input.outcome === 'binary' ? runBinary(input) : runContinuous(input);
  },
  human(output) {
    const r = output.result as {
      outcome: string;
      estimate: number;
      lower: number;
      upper: number;
      confidence: number;
      p: number;
      meanTreatment?: number;
      meanControl?: number;
      proportionTreatment?: number;
      proportionControl?: number;
      df?: number;
    };
    if (r.outcome === 'binary') {
      return [
        `treatment ${pct(r.proportionTreatment)} vs control ${pct(r.proportionControl)}: difference ${pct(r.estimate)} (percentage points), ${interval(r.lower * 100, r.upper * 100, r.confidence, 2)}`,
        `p ${pValue(r.p)} (pooled z test)`,
      ];
    }
    return [
      `treatment mean ${fmt(r.meanTreatment)} vs control mean ${fmt(r.meanControl)}: difference ${fmt(r.estimate)}, ${interval(r.lower, r.upper, r.confidence)}`,
      `t on ${fmt(r.df, 2)} df, p ${pValue(r.p)}`,
    ];
  },
  example: {
    json: {
      outcome: 'continuous',
      confidence: 0.95,
      treatment: [5.1, 4.8, 6.0, 5.5, 4.9, 5.8, 6.2, 5.0, 5.6, 5.3],
      control: [4.4, 4.9, 4.1, 4.6, 5.0, 4.2, 4.7, 4.5, 4.8, 4.3],
    },
    csv:
      'group,y\n' +
      [5.1, 4.8, 6.0, 5.5, 4.9, 5.8, 6.2, 5.0, 5.6, 5.3].map((v) => `treatment,${v}\n`).join('') +
      [4.4, 4.9, 4.1, 4.6, 5.0, 4.2, 4.7, 4.5, 4.8, 4.3].map((v) => `control,${v}\n`).join(''),
  },
};

function runContinuous(
  input: Extract<RandomizedInput, { outcome: 'continuous' }>,
): MethodReport<Record<string, unknown>> {
  const r = meanDifference(input.treatment, input.control, {
    confidence: input.confidence,
    equalVariances: input.equalVariances,
  });
  const warnings: string[] = [];
  const all = [...input.treatment, ...input.control];
  if (all.every((v) => v === 0 || v === 1)) {
    warnings.push('every outcome is 0 or 1: for a rate use outcome "binary" (a difference in proportions)');
  }
  const sdT = standardDeviation(input.treatment);
  const sdC = standardDeviation(input.control);
  const ratio = Math.max(sdT, sdC) / Math.min(sdT, sdC);
  if (input.equalVariances && ratio > 2) {
    warnings.push(
      `the standard deviations differ by a factor of ${ratio.toFixed(1)}; the pooled interval assumes equal spread, so prefer Welch (drop equalVariances)`,
    );
  }
  if (Math.min(r.nX, r.nY) < 10) {
    warnings.push(
      `a group has fewer than 10 learners; the t interval then relies on roughly normal outcomes`,
    );
  }
  return {
    methodName: input.equalVariances
      ? 'Randomized comparison: pooled (Student) two-sample t interval for the difference in means'
      : 'Randomized comparison: Welch two-sample t interval for the difference in means',
    reference: input.equalVariances
      ? 't.test(treatment, control, var.equal = TRUE)'
      : 't.test(treatment, control)',
    summary: { outcome: 'continuous', treatment: r.nX, control: r.nY, confidence: input.confidence },
    result: {
      outcome: 'continuous',
      estimate: r.estimate,
      meanTreatment: r.meanX,
      meanControl: r.meanY,
      sdTreatment: sdT,
      sdControl: sdC,
      nTreatment: r.nX,
      nControl: r.nY,
      se: r.se,
      df: r.df,
      t: r.t,
      p: r.p,
      lower: r.lower,
      upper: r.upper,
      confidence: r.confidence,
    },
    assumptions: [
      ...ASSUMPTIONS,
      input.equalVariances
        ? 'Both groups have the same outcome variance (pooled t).'
        : 'The group means are roughly normal (Welch t; no equal-variance assumption).',
    ],
    warnings,
  };
}

function runBinary(
  input: Extract<RandomizedInput, { outcome: 'binary' }>,
): MethodReport<Record<string, unknown>> {
  const t = input.treatment;
  const c = input.control;
  const r = proportionDifference(t.successes, t.trials, c.successes, c.trials, {
    confidence: input.confidence,
    method: input.interval,
  });
  const warnings: string[] = [];
  const small = [t, c].some((g) => Math.min(g.successes, g.trials - g.successes) < 5);
  if (input.interval === 'wald' && small) {
    warnings.push(
      'a group has fewer than 5 successes or failures: the Wald interval is too narrow there; use newcombe',
    );
  }
  if (t.successes + c.successes === 0 || t.successes + c.successes === t.trials + c.trials) {
    warnings.push(
      'no learner differs in outcome from any other, so the test has no information (p is reported as 1)',
    );
  }
  return {
    methodName:
      input.interval === 'wald'
        ? 'Randomized comparison: difference in proportions, Wald interval'
        : "Randomized comparison: difference in proportions, Newcombe's hybrid score interval",
    reference:
      input.interval === 'wald'
        ? 'prop.test(c(x1, x2), c(n1, n2), correct = FALSE)'
        : 'Newcombe (1998) method 10 on prop.test(x, n, correct = FALSE)$conf.int; p from prop.test(c(x1, x2), c(n1, n2), correct = FALSE)',
    summary: { outcome: 'binary', treatment: t.trials, control: c.trials, confidence: input.confidence },
    result: {
      outcome: 'binary',
      estimate: r.estimate,
      proportionTreatment: r.pX,
      proportionControl: r.pY,
      treatment: t,
      control: c,
      p: r.p,
      lower: r.lower,
      upper: r.upper,
      confidence: r.confidence,
      interval: r.method,
    },
    assumptions: [...ASSUMPTIONS, 'Each learner contributes one 0/1 outcome.'],
    warnings,
  };
}
