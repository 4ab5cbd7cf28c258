/** `yardstick analyze paired`: pre/post change of the same learners, with optional normalized gain. */
import { z } from 'zod';
import { meanUnchecked } from '../stats/moments.js';
import { normalizedGain } from '../stats/normalized-gain.js';
import { pairedDifference } from '../stats/paired.js';
import { CONFIDENCE_OPTION, confidenceSchema, fmt, interval, pValue } from './common.js';
import type { AnalyzeMethod } from './method.js';

const schema = z.strictObject({
  confidence: confidenceSchema.default(0.95),
  maxScore: z.number().positive('maxScore must be positive').optional(),
  pairs: z
    .array(z.strictObject({ id: z.string().optional(), pre: z.number(), post: z.number() }))
    .min(2, 'a paired comparison needs at least 2 learners'),
});

type PairedInput = z.output<typeof schema>;

export interface PairedResult {
  n: number;
  meanPre: number;
  meanPost: number;
  /** Mean of post - pre. */
  meanDifference: number;
  sd: number;
  se: number;
  df: number;
  t: number;
  p: number;
  lower: number;
  upper: number;
  confidence: number;
  normalizedGain: {
    maxScore: number;
    meanLearnerGain: number | null;
    classAverageGain: number | null;
    included: number;
    excludedAtMaximum: number;
  } | null;
}

export const pairedMethod: AnalyzeMethod<PairedInput, PairedResult> = {
  id: 'paired',
  methodName: 'Paired t interval for the mean pre/post change',
  summary: 'pre/post change of the same learners (knowledge checks), optionally with Hake normalized gain',
  reference: 't.test(post, pre, paired = TRUE)',
  formats: ['json', 'csv'],
  options: [
    CONFIDENCE_OPTION,
    {
      flags: '--max-score <points>',
      description: 'maximum score; adds the normalized gain (post - pre) / (max - pre)',
      key: 'maxScore',
      type: 'number',
    },
  ],
  argumentPaths: { post: 'pairs', pre: 'pairs', max: 'maxScore' },
  schema,
  fromCsv(columns) {
    columns.requireRows(2);
    const ids = columns.texts('id', { optional: true });
    const pre = columns.numbers('pre');
    const post = columns.numbers('post');
    return {
      value: {
        pairs: columns.table.rows.map((_, i) => ({
          ...(ids[i] !== undefined ? { id: ids[i] } : {}),
          pre: pre[i],
          post: post[i],
        })),
      },
      locate: columns.locator('pairs', { id: 'id', pre: 'pre', post: 'post' }),
    };
  },
  run(input) {
    const pre = input.pairs.map((p) => p.pre);
    const post = input.pairs.map((p) => p.post);
    const d = pairedDifference(post, pre, input.confidence);
    const gain = input.maxScore === undefined ? null : normalizedGain(post, pre, input.maxScore);
    const warnings: string[] = [];
    if (d.n < 10)
      warnings.push(`only ${d.n} learners: the interval relies on the changes being roughly normal`);
    if (gain && gain.excludedAtMaximum > 0) {
      warnings.push(
        `${gain.excludedAtMaximum} learner(s) already scored the maximum before, so their normalized gain is undefined and they are left out of its mean`,
      );
    }
    return {
      summary: {
        learners: d.n,
        confidence: input.confidence,
        ...(input.maxScore !== undefined ? { maxScore: input.maxScore } : {}),
      },
      result: {
        n: d.n,
        meanPre: meanUnchecked(pre),
        meanPost: meanUnchecked(post),
        meanDifference: d.mean,
        sd: d.sd,
        se: d.se,
        df: d.df,
        t: d.t,
        p: d.p,
        lower: d.lower,
        upper: d.upper,
        confidence: d.confidence,
        normalizedGain: gain
          ? {
              maxScore: input.maxScore!,
              meanLearnerGain: gain.meanLearnerGain,
              classAverageGain: gain.classAverageGain,
              included: gain.included,
              excludedAtMaximum: gain.excludedAtMaximum,
            }
          : null,
      },
      assumptions: [
        'Each pair is one learner measured before and after; learners are independent of each other.',
        'The changes (post - pre) are roughly normal, or there are enough learners for their mean to be.',
        'There is no control group: the change is not an effect of the training (practice, time and selection also change scores).',
      ],
      warnings,
    };
  },
  human(output) {
    const r = output.result;
    const lines = [
      `mean change (post - pre): ${fmt(r.meanDifference)} (${fmt(r.meanPre)} -> ${fmt(r.meanPost)}), ${interval(r.lower, r.upper, r.confidence)}`,
      `t = ${fmt(r.t)} on ${r.df} df, p ${pValue(r.p)}; n = ${r.n}`,
    ];
    if (r.normalizedGain) {
      lines.push(
        `normalized gain (max ${r.normalizedGain.maxScore}): mean of learner gains ${fmt(r.normalizedGain.meanLearnerGain)}, class-average gain ${fmt(r.normalizedGain.classAverageGain)}`,
      );
    }
    return lines;
  },
  example: {
    json: {
      confidence: 0.95,
      maxScore: 100,
      pairs: [
        { id: 'L01', pre: 55, post: 72 },
        { id: 'L02', pre: 61, post: 70 },
        { id: 'L03', pre: 48, post: 66 },
        { id: 'L04', pre: 70, post: 81 },
        { id: 'L05', pre: 66, post: 64 },
        { id: 'L06', pre: 52, post: 75 },
        { id: 'L07', pre: 59, post: 68 },
        { id: 'L08', pre: 74, post: 88 },
        { id: 'L09', pre: 45, post: 60 },
        { id: 'L10', pre: 63, post: 79 },
      ],
    },
    csv: 'id,pre,post\nL01,55,72\nL02,61,70\nL03,48,66\nL04,70,81\nL05,66,64\nL06,52,75\nL07,59,68\nL08,74,88\nL09,45,60\nL10,63,79\n',
    csvArgs: ['--max-score', '100'],
  },
};
