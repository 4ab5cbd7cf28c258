/** `yardstick analyze psm`: propensity-score matching estimate of the effect on participants (ATT). */
import { z } from 'zod';
import { propensityScoreMatch } from '../stats/psm.js';
import type { BalanceTable } from '../stats/balance.js';
import { CONFIDENCE_OPTION, confidenceSchema, flagSchema, fmt, interval, pValue } from './common.js';
import type { AnalyzeMethod } from './method.js';
import { PSM_EXAMPLE_ROWS } from './examples/psm-example.js';

const schema = z
  .strictObject({
    confidence: confidenceSchema.default(0.95),
    covariates: z.array(z.string().min(1)).min(1, 'name at least one covariate to match on'),
    caliper: z.number().positive('the caliper is a positive number of standard deviations').optional(),
    order: z.enum(['largest', 'smallest', 'data']).default('largest'),
    rows: z
      .array(
        z.strictObject({
          id: z.union([z.string(), z.number()]).transform(String),
          treated: flagSchema,
          outcome: z.number(),
          covariates: z.record(z.string(), z.number()),
        }),
      )
      .min(4, 'matching needs at least 4 people'),
  })
  .superRefine((v, ctx) => {
    v.rows.forEach((row, i) => {
      const missing = v.covariates.filter((c) => row.covariates[c] === undefined);
      if (missing.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i, 'covariates'],
          message: `missing ${missing.join(', ')}`,
        });
      }
    });
  });

type PsmInput = z.output<typeof schema>;

export interface PsmMethodResult {
  att: {
    estimate: number;
    se: number;
    df: number;
    t: number;
    p: number;
    level: number;
    ciLower: number;
    ciUpper: number;
    method: string;
  };
  pairs: { treatedId: string; controlId: string; treatedScore: number; controlScore: number }[];
  unmatched: { treated: number; controls: number; treatedIds: string[] };
  caliperWidth: number | null;
  propensityModel: {
    columns: string[];
    coefficients: number[];
    se: number[];
    converged: boolean;
    iterations: number;
    separation: string;
  };
  balance: { denominator: string; before: BalanceTable; after: BalanceTable };
}

export const psmMethod: AnalyzeMethod<PsmInput, PsmMethodResult> = {
  id: 'psm',
  methodName: 'Propensity-score matching (logistic score, 1:1 nearest neighbour without replacement), ATT',
  summary: 'effect on participants against matched non-participants (propensity-score matching)',
  reference:
    'MatchIt::matchit(treated ~ covariates, method = "nearest"); lm(outcome ~ treated, data = match.data(m), weights = weights); sandwich::vcovCL(fit, cluster = ~subclass)',
  formats: ['json', 'csv'],
  options: [
    CONFIDENCE_OPTION,
    {
      flags: '--covariates <names>',
      description: 'covariates, comma separated (CSV default: every other column)',
      key: 'covariates',
      type: 'strings',
    },
    {
      flags: '--caliper <sd>',
      description: 'caliper in standard deviations of the propensity score',
      key: 'caliper',
      type: 'number',
    },
    {
      flags: '--order <order>',
      description: 'largest (default), smallest or data',
      key: 'order',
      type: 'string',
    },
  ],
  schema,
  fromCsv(columns, settings) {
    columns.requireRows(4);
    const ids = columns.texts('id');
    const treated = columns.booleans('treated');
    const outcome = columns.numbers('outcome');
    const names = Array.isArray(settings.covariates)
      ? (settings.covariates as string[])
      : columns.otherColumns(['id', 'treated', 'outcome']);
    if (names.length === 0) {
      columns.addProblem({
        path: 'CSV header',
        message: 'the CSV has no covariate columns besides id, treated and outcome',
      });
    }
    const values = names.map((name) => columns.numbers(name));
    return {
      value: {
        covariates: names,
        rows: columns.table.rows.map((_, i) => ({
          id: ids[i],
          treated: treated[i],
          outcome: outcome[i],
          covariates: Object.fromEntries(names.map((name, j) => [name, values[j]![i]])),
        })),
      },
      locate: columns.locator('rows', { id: 'id', treated: 'treated', outcome: 'outcome' }),
    };
  },
  run(input) {
    const r = propensityScoreMatch(input.rows, {
      covariates: input.covariates,
      caliper: input.caliper,
      order: input.order,
      level: input.confidence,
    });
    const treatedCount = input.rows.filter((row) => row.treated).length;
    const m = r.propensityModel;
    return {
      methodName: r.method,
      summary: {
        people: input.rows.length,
        participants: treatedCount,
        nonParticipants: input.rows.length - treatedCount,
        covariates: input.covariates,
        confidence: input.confidence,
        ...(input.caliper !== undefined ? { caliper: input.caliper } : {}),
      },
      result: {
        att: r.att,
        pairs: [...r.pairs],
        unmatched: { ...r.unmatched, treatedIds: [...r.unmatched.treatedIds] },
        caliperWidth: r.caliperWidth,
        propensityModel: {
          columns: [...m.columns],
          coefficients: [...m.coefficients],
          se: [...m.se],
          converged: m.converged,
          iterations: m.iterations,
          separation: m.separation.kind,
        },
        balance: r.balance,
      },
      assumptions: [
        'No unmeasured confounding: given the covariates, who took part is unrelated to the outcome they would have had.',
        'Overlap: participants have comparable non-participants (propensity scores in a shared range).',
        'The standard error treats the propensity score as known (MatchIt guidance), clustered by matched pair.',
        'The estimate is the effect on the (matched) participants, not on everyone.',
      ],
      warnings: [...r.warnings],
    };
  },
  human(output) {
    const r = output.result;
    const after = r.balance.after.rows.map((row) => `${row.name} ${fmt(row.standardizedMeanDifference, 3)}`);
    return [
      `effect on participants (ATT): ${fmt(r.att.estimate)} (outcome units), ${interval(r.att.ciLower, r.att.ciUpper, r.att.level)}, p ${pValue(r.att.p)}`,
      `${r.pairs.length} matched pairs; ${r.unmatched.treated} participants unmatched${r.caliperWidth !== null ? ` (caliper width ${fmt(r.caliperWidth)})` : ''}`,
      `SMD after matching: ${after.join(', ')}`,
    ];
  },
  example: {
    json: { confidence: 0.95, covariates: ['age', 'tenure'], rows: PSM_EXAMPLE_ROWS },
    csv:
      'id,treated,outcome,age,tenure\n' +
      PSM_EXAMPLE_ROWS.map(
        (r) => `${r.id},${r.treated ? 1 : 0},${r.outcome},${r.covariates.age},${r.covariates.tenure}\n`,
      ).join(''),
  },
};
