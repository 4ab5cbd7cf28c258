/** `yardstick analyze trend`: straight-line trend of an outcome over time, the no-control fallback. */
import { z } from 'zod';
import { linearTrend, predictTrend, type LinearTrend, type TrendPrediction } from '../stats/trend.js';
import { CONFIDENCE_OPTION, confidenceSchema, fmt, interval, pValue } from './common.js';
import type { AnalyzeMethod } from './method.js';

const schema = z.strictObject({
  confidence: confidenceSchema.default(0.95),
  predictAt: z.array(z.number()).default([]),
  points: z
    .array(z.strictObject({ time: z.number(), y: z.number() }))
    .min(3, 'a trend needs at least 3 points (2 leave no degrees of freedom for its uncertainty)'),
});

type TrendInput = z.output<typeof schema>;

/** The fitted trend as reported: the calculator's result without its internal sums, plus predictions. */
export type TrendResult = Omit<LinearTrend, 'timeMean' | 'timeSumSquares'> & {
  predictions: TrendPrediction[];
};

export const trendMethod: AnalyzeMethod<TrendInput, TrendResult> = {
  id: 'trend',
  methodName: 'Linear trend (OLS of the outcome on time) with prediction intervals',
  summary: 'straight-line trend over time when there is no comparison group (describes, does not attribute)',
  reference: 'lm(y ~ time); confint(fit); predict(fit, newdata, interval = "prediction")',
  formats: ['json', 'csv'],
  options: [
    CONFIDENCE_OPTION,
    {
      flags: '--predict-at <times>',
      description: 'times to predict, comma separated (e.g. 13,18)',
      key: 'predictAt',
      type: 'numbers',
    },
  ],
  argumentPaths: { time: 'points', y: 'points' },
  schema,
  fromCsv(columns) {
    columns.requireRows(3);
    const time = columns.numbers('time');
    const y = columns.numbers('y');
    return {
      value: { points: columns.table.rows.map((_, i) => ({ time: time[i], y: y[i] })) },
      locate: columns.locator('points', { time: 'time', y: 'y' }),
    };
  },
  run(input) {
    const time = input.points.map((p) => p.time);
    const fit = linearTrend(
      time,
      input.points.map((p) => p.y),
      input.confidence,
    );
    const predictions = input.predictAt.map((t) => predictTrend(fit, t));
    const first = Math.min(...time);
    const last = Math.max(...time);
    const warnings: string[] = [];
    if (fit.n < 8) warnings.push(`only ${fit.n} points: the slope and its interval are fragile`);
    const outside = input.predictAt.filter((t) => t < first || t > last);
    if (outside.length) {
      warnings.push(
        `predictions at ${outside.join(', ')} lie outside the observed times ${first}-${last}: they extrapolate and rest entirely on the straight line continuing`,
      );
    }
    warnings.push(
      'no comparison group: the trend includes everything that changed over the period, not only the training',
    );
    const { timeMean: _m, timeSumSquares: _s, ...slope } = fit;
    return {
      summary: { points: fit.n, from: first, to: last, confidence: input.confidence },
      result: { ...slope, predictions },
      assumptions: [
        'The outcome changes linearly with time over the observed window.',
        'Residuals are independent with constant variance; autocorrelated monthly metrics make the intervals too narrow.',
        'Time is in one unit throughout (e.g. months since launch); the slope is in outcome units per time unit.',
      ],
      warnings,
    };
  },
  human(output) {
    const r = output.result;
    return [
      `slope ${fmt(r.slope)} per time unit, ${interval(r.slopeLower, r.slopeUpper, r.confidence)}; intercept ${fmt(r.intercept)}`,
      `t = ${fmt(r.t)} on ${r.df} df, p ${pValue(r.p)}; residual SD ${fmt(r.sigma)}`,
      ...r.predictions.map(
        (p) => `at time ${p.time}: ${fmt(p.fit)}, prediction ${interval(p.lower, p.upper, p.confidence)}`,
      ),
    ];
  },
  example: {
    json: {
      confidence: 0.95,
      predictAt: [13],
      points: [
        { time: 1, y: 4.2 },
        { time: 2, y: 4.3 },
        { time: 3, y: 4.3 },
        { time: 4, y: 4.5 },
        { time: 5, y: 4.6 },
        { time: 6, y: 4.6 },
        { time: 7, y: 4.8 },
        { time: 8, y: 4.9 },
        { time: 9, y: 4.9 },
        { time: 10, y: 5.1 },
        { time: 11, y: 5.0 },
        { time: 12, y: 5.2 },
      ],
    },
    csv: 'time,y\n1,4.2\n2,4.3\n3,4.3\n4,4.5\n5,4.6\n6,4.6\n7,4.8\n8,4.9\n9,4.9\n10,5.1\n11,5\n12,5.2\n',
    csvArgs: ['--predict-at', '13'],
  },
};
