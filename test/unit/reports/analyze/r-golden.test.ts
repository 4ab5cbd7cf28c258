import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { didMethod } from '../../../../src/reports/analyze/did-method.js';
import { pairedMethod } from '../../../../src/reports/analyze/paired-method.js';
import { quantilesMethod } from '../../../../src/reports/analyze/quantiles-method.js';
import { randomizedMethod } from '../../../../src/reports/analyze/randomized-method.js';
import { roiMethod } from '../../../../src/reports/analyze/roi-method.js';
import { trendMethod } from '../../../../src/reports/analyze/trend-method.js';
import { wilsonMethod } from '../../../../src/reports/analyze/wilson-method.js';
import { fixture, runCsv } from './run-method.js';

// Written by test/fixtures/r/analyze-examples.R from the same CSV fixtures.
const golden = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '..', '..', '..', 'fixtures', 'golden', 'analyze', 'examples.json'),
    'utf8',
  ),
);

/** |actual - expected| <= 1e-8 x max(1, |expected|): the closed-form tolerance of the statistics docs. */
function close(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined, `${what} is present`);
  const tolerance = 1e-8 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs R ${expected}`);
}

describe('analyze examples against R', () => {
  it('randomized.csv gives the Welch interval of t.test', () => {
    const r = runCsv(randomizedMethod, fixture('randomized.csv')).result as Record<string, number>;
    for (const key of ['estimate', 'df', 'p', 'lower', 'upper']) close(r[key], golden.randomized[key], key);
  });

  it('paired.csv gives the interval of t.test(paired = TRUE)', () => {
    const r = runCsv(pairedMethod, fixture('paired.csv')).result;
    close(r.meanDifference, golden.paired.estimate, 'estimate');
    close(r.p, golden.paired.p, 'p');
    close(r.lower, golden.paired.lower, 'lower');
    close(r.upper, golden.paired.upper, 'upper');
  });

  it('trend.csv gives the slope interval and prediction interval of lm', () => {
    const r = runCsv(trendMethod, fixture('trend.csv'), { predictAt: [13] }).result;
    close(r.slope, golden.trend.slope, 'slope');
    close(r.slopeLower, golden.trend.lower, 'slope lower');
    close(r.slopeUpper, golden.trend.upper, 'slope upper');
    close(r.predictions[0]?.fit, golden.trend.fit13, 'fit at 13');
    close(r.predictions[0]?.lower, golden.trend.lower13, 'prediction lower');
    close(r.predictions[0]?.upper, golden.trend.upper13, 'prediction upper');
  });

  it('wilson.csv gives the intervals of prop.test(correct = FALSE)', () => {
    const r = runCsv(wilsonMethod, fixture('wilson.csv')).result;
    golden.wilson.forEach((g: { label: string; lower: number; upper: number }, i: number) => {
      assert.equal(r.groups[i]!.label, g.label);
      close(r.groups[i]!.lower, g.lower, `${g.label} lower`);
      close(r.groups[i]!.upper, g.upper, `${g.label} upper`);
    });
  });

  it('quantiles.csv gives quantile(type = 7) per group', () => {
    const r = runCsv(quantilesMethod, fixture('quantiles.csv')).result;
    golden.quantiles.forEach((g: { label: string; values: number[] }, i: number) => {
      assert.equal(r.groups[i]!.label, g.label);
      g.values.forEach((v, j) => close(r.groups[i]!.quantiles[j]!.value, v, `${g.label} q${j}`));
    });
  });

  it('did.csv gives the CR1 (vcovCL HC1) and CR2 (clubSandwich) standard errors and df', () => {
    const r = runCsv(didMethod, fixture('did.csv')).result;
    close(r.estimate, golden.did.estimate, 'estimate');
    close(r.cr1.se, golden.did.cr1_se, 'CR1 SE');
    close(r.cr2.se, golden.did.cr2_se, 'CR2 SE');
    close(r.cr2.df, golden.did.cr2_df, 'CR2 df');
  });

  it('roi.csv gives the ROI percent computed in R', () => {
    close(runCsv(roiMethod, fixture('roi.csv')).result.roiPercent.value, golden.roi.roi_percent, 'ROI %');
  });
});
