/** `yardstick analyze did`: 2x2 difference-in-differences with CR1 and CR2 cluster-robust inference. */
import { z } from 'zod';
import { estimateDifferenceInDifferences, type DidResult } from '../stats/did.js';
import { CONFIDENCE_OPTION, confidenceSchema, flagSchema, fmt, interval, pValue } from './common.js';
import type { AnalyzeMethod } from './method.js';
import { DID_EXAMPLE_ROWS } from './examples/did-example.js';

const id = (what: string) =>
  z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().min(1, `${what} cannot be empty`));

const schema = z.strictObject({
  confidence: confidenceSchema.default(0.95),
  fewClustersThreshold: z.number().int().min(2).default(30),
  rows: z
    .array(
      z.strictObject({
        unitId: id('unitId'),
        clusterId: id('clusterId'),
        treated: flagSchema,
        post: flagSchema,
        y: z.number(),
      }),
    )
    .min(5, 'difference-in-differences needs more than 4 rows'),
});

type DidInput = z.output<typeof schema>;

export type DidMethodResult = Omit<DidResult, 'warnings' | 'method'>;

export const didMethod: AnalyzeMethod<DidInput, DidMethodResult> = {
  id: 'did',
  methodName: '2x2 difference-in-differences (OLS y ~ treated * post), cluster-robust standard errors',
  summary: 'difference-in-differences of treated vs control, before vs after, clustered by site or team',
  reference:
    'lm(y ~ treated * post); sandwich::vcovCL(fit, cluster, type = "HC1"); clubSandwich::coef_test(fit, vcov = "CR2", cluster, test = "Satterthwaite")',
  formats: ['json', 'csv'],
  options: [
    CONFIDENCE_OPTION,
    {
      flags: '--few-clusters-threshold <g>',
      description: 'below this many clusters CR2 is recommended, default 30',
      key: 'fewClustersThreshold',
      type: 'number',
    },
  ],
  schema,
  fromCsv(columns) {
    columns.requireRows(5);
    const unit = columns.texts('unit_id');
    const cluster = columns.texts('cluster_id');
    const treated = columns.booleans('treated');
    const post = columns.booleans('post');
    const y = columns.numbers('y');
    return {
      value: {
        rows: columns.table.rows.map((_, i) => ({
          unitId: unit[i],
          clusterId: cluster[i],
          treated: treated[i],
          post: post[i],
          y: y[i],
        })),
      },
      locate: columns.locator('rows', {
        unitId: 'unit_id',
        clusterId: 'cluster_id',
        treated: 'treated',
        post: 'post',
        y: 'y',
      }),
    };
  },
  run(input) {
    const r = estimateDifferenceInDifferences(input.rows, {
      level: input.confidence,
      fewClustersThreshold: input.fewClustersThreshold,
    });
    const { warnings, method, ...result } = r;
    return {
      methodName: method,
      summary: {
        rows: input.rows.length,
        units: r.panel.units,
        design: r.panel.design,
        clusters: r.clusters.total,
        confidence: input.confidence,
      },
      result,
      assumptions: [
        'Parallel trends: without the training, treated and control means would have moved alike.',
        'Group membership is fixed before the training; no spillover from treated to control.',
        'The make-up of each group is stable across periods (for repeated cross-sections and unbalanced panels, who is observed does not depend on the outcome trend).',
        'Clusters are independent of each other; rows within a cluster may be correlated.',
      ],
      warnings: [...warnings],
    };
  },
  human(output) {
    const r = output.result;
    const chosen = r.recommended === 'CR2' ? r.cr2 : r.cr1;
    const m = r.means;
    return [
      `difference-in-differences: ${fmt(r.estimate)} (outcome units); recommended ${r.recommended}: ${interval(chosen.ciLower, chosen.ciUpper, chosen.level)}, p ${pValue(chosen.p)}`,
      `CR1: SE ${fmt(r.cr1.se)}, t(${fmt(r.cr1.df, 0)}), ${interval(r.cr1.ciLower, r.cr1.ciUpper, r.cr1.level)}`,
      `CR2: SE ${fmt(r.cr2.se)}, Satterthwaite df ${fmt(r.cr2.df, 2)}, ${interval(r.cr2.ciLower, r.cr2.ciUpper, r.cr2.level)}`,
      `means: treated ${fmt(m.treatedPre)} -> ${fmt(m.treatedPost)}, control ${fmt(m.controlPre)} -> ${fmt(m.controlPost)}`,
      `clusters: ${r.clusters.treated} treated, ${r.clusters.control} control; ${r.panel.design}${r.panel.design === 'panel' ? (r.panel.balanced ? ' (balanced)' : ' (unbalanced)') : ''}`,
    ];
  },
  example: {
    json: { confidence: 0.95, rows: DID_EXAMPLE_ROWS },
    csv:
      'unit_id,cluster_id,treated,post,y\n' +
      DID_EXAMPLE_ROWS.map(
        (r) => `${r.unitId},${r.clusterId},${r.treated ? 1 : 0},${r.post ? 1 : 0},${r.y}\n`,
      ).join(''),
  },
};
