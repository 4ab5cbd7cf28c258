import assert from 'node:assert/strict';
import { powerMethod } from '../../../../src/reports/analyze/power-method.js';
import {
  clusteredSampleSize,
  cohenH,
  tTestMinimumDetectableEffect,
  tTestPower,
  tTestSampleSize,
  twoProportionSampleSize,
} from '../../../../src/reports/stats/power.js';
import { fixture, runJson, validationError } from './run-method.js';

describe('analyze power', () => {
  it('solves the sample size of the example, equal to the calculator', () => {
    const out = runJson(powerMethod, JSON.parse(fixture('power.json')));
    const direct = tTestSampleSize(0.3, 0.8);
    assert.equal(out.result.solvedFor, 'nPerGroup');
    assert.equal(out.result.nPerGroup, direct.nPerGroup);
    assert.equal(out.result.nPerGroupRounded, 176);
  });

  it('solves power or the detectable effect, whichever is missing', () => {
    assert.equal(runJson(powerMethod, { nPerGroup: 40, d: 0.5 }).result.power, tTestPower(40, 0.5));
    assert.equal(
      runJson(powerMethod, { nPerGroup: 40, power: 0.9 }).result.d,
      tTestMinimumDetectableEffect(40, 0.9).d,
    );
  });

  it('sizes a two-proportion comparison on Cohen h', () => {
    const out = runJson(powerMethod, { test: 'proportions', p1: 0.55, p2: 0.45, power: 0.8 });
    assert.equal(out.result.nPerGroup, twoProportionSampleSize(cohenH(0.55, 0.45), 0.8).nPerGroup);
  });

  it('inflates a clustered design by the design effect and warns about few clusters', () => {
    const out = runJson(powerMethod, { d: 0.4, power: 0.8, clusterSize: 20, icc: 0.05 });
    const direct = clusteredSampleSize(0.4, 20, 0.05, 0.8);
    assert.equal(out.result.nPerGroup, direct.nPerGroup);
    assert.equal(out.result.clustersPerGroup, direct.clustersPerGroup);
    assert.match(out.warnings.join(' '), /clusters per arm/);
  });

  it('asks for exactly two of n, effect and power', () => {
    const error = validationError(() => runJson(powerMethod, { nPerGroup: 40, d: 0.5, power: 0.8 }));
    assert.match(
      error.message,
      /give exactly two of nPerGroup, the effect \(d\) and power; the third is solved \(3 given\)/,
    );
  });
});
