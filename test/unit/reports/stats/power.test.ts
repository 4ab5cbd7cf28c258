import assert from 'node:assert/strict';
import { logGamma } from '../../../../src/reports/stats/log-gamma.js';
import { noncentralTCdf } from '../../../../src/reports/stats/noncentral-t.js';
import {
  clusteredMinimumDetectableEffect,
  clusteredSampleSize,
  cohenH,
  designEffect,
  tTestMinimumDetectableEffect,
  tTestPower,
  tTestSampleSize,
  twoProportionMinimumDetectableEffect,
  twoProportionPower,
  twoProportionSampleSize,
} from '../../../../src/reports/stats/power.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { CLOSED_FORM, ITERATIVE, assertClose, readGolden } from './golden.js';

interface Golden {
  tPower: { n: number; d: number; sigLevel: number; powerBoth: number; powerUpper: number }[];
  tSampleSize: {
    d: number;
    power: number;
    sigLevel: number;
    nBoth: number;
    nUpper: number;
    nPwrDefault: number;
  }[];
  tMde: { n: number; power: number; sigLevel: number; dBoth: number }[];
  cohenH: { p1: number; p2: number; h: number }[];
  twoProportionPower: { h: number; n: number; sigLevel: number; power: number }[];
  twoProportionSampleSize: { h: number; power: number; sigLevel: number; n: number }[];
  twoProportionMde: { n: number; power: number; sigLevel: number; h: number }[];
  noncentralT: { t: number; df: number; ncp: number; cdf: number }[];
  logGamma: { x: number; value: number }[];
  clustered: {
    d: number;
    clusterSize: number;
    icc: number;
    power: number;
    designEffect: number;
    individualNPerGroup: number;
    nPerGroup: number;
    clustersPerGroup: number;
  }[];
  clusteredMde: {
    clustersPerGroup: number;
    clusterSize: number;
    icc: number;
    power: number;
    designEffect: number;
    effectiveNPerGroup: number;
    d: number;
  }[];
}

describe('power and minimum detectable effect', () => {
  const g = readGolden<Golden>('power');

  it('matches lgamma on the positive axis', () => {
    for (const c of g.logGamma) assertClose(logGamma(c.x), c.value, 1e-12, `lgamma(${c.x})`);
  });

  it(`matches pt(t, df, ncp) over a grid of ${g.noncentralT.length} points including the normal-approximation range`, () => {
    for (const c of g.noncentralT) {
      assertClose(
        noncentralTCdf(c.t, c.df, c.ncp),
        c.cdf,
        CLOSED_FORM,
        `pt(${c.t}, ${c.df}, ncp = ${c.ncp})`,
      );
    }
  });

  for (const c of g.tPower) {
    it(`matches pwr.t.test and power.t.test power for n = ${c.n}, d = ${c.d}, alpha = ${c.sigLevel}`, () => {
      assertClose(tTestPower(c.n, c.d, { sigLevel: c.sigLevel }), c.powerBoth, CLOSED_FORM, 'both tails');
      assertClose(
        tTestPower(c.n, c.d, { sigLevel: c.sigLevel, tails: 'upper' }),
        c.powerUpper,
        CLOSED_FORM,
        'upper',
      );
    });
  }

  for (const c of g.tSampleSize) {
    it(`solves n per group for d = ${c.d}, power = ${c.power}, alpha = ${c.sigLevel}`, () => {
      const both = tTestSampleSize(c.d, c.power, { sigLevel: c.sigLevel });
      assertClose(both.nPerGroup, c.nBoth, ITERATIVE, 'n (pwr.t.test)');
      assert.equal(both.nPerGroupRounded, Math.ceil(c.nBoth));
      const upper = tTestSampleSize(c.d, c.power, { sigLevel: c.sigLevel, tails: 'upper' });
      assertClose(upper.nPerGroup, c.nUpper, ITERATIVE, 'n (power.t.test)');
      // pwr's own default tolerance is loose; the answer still agrees to about 1e-3 learners.
      assertClose(both.nPerGroup, c.nPwrDefault, 1e-3, 'n (pwr default tolerance)');
    });
  }

  for (const c of g.tMde) {
    it(`solves the minimum detectable d for n = ${c.n}, power = ${c.power}`, () => {
      assertClose(
        tTestMinimumDetectableEffect(c.n, c.power, { sigLevel: c.sigLevel }).d,
        c.dBoth,
        ITERATIVE,
        'd',
      );
    });
  }

  it('matches ES.h for Cohen h, including 0 and 1 proportions', () => {
    for (const c of g.cohenH) assertClose(cohenH(c.p1, c.p2), c.h, CLOSED_FORM, `h(${c.p1}, ${c.p2})`);
  });

  it('matches pwr.2p.test power, n and h', () => {
    for (const c of g.twoProportionPower) {
      assertClose(
        twoProportionPower(c.h, c.n, { sigLevel: c.sigLevel }),
        c.power,
        CLOSED_FORM,
        `power h=${c.h}`,
      );
    }
    for (const c of g.twoProportionSampleSize) {
      const r = twoProportionSampleSize(c.h, c.power, { sigLevel: c.sigLevel });
      assertClose(r.nPerGroup, c.n, ITERATIVE, `n h=${c.h}`);
    }
    for (const c of g.twoProportionMde) {
      const h = twoProportionMinimumDetectableEffect(c.n, c.power, { sigLevel: c.sigLevel });
      assertClose(h, c.h, ITERATIVE, `h n=${c.n}`);
    }
  });

  for (const c of g.clustered) {
    it(`inflates n by the design effect for m = ${c.clusterSize}, ICC = ${c.icc}`, () => {
      const r = clusteredSampleSize(c.d, c.clusterSize, c.icc, c.power);
      assertClose(r.designEffect, c.designEffect, CLOSED_FORM, 'DEFF');
      assertClose(r.individualNPerGroup, c.individualNPerGroup, ITERATIVE, 'individual n');
      assertClose(r.nPerGroup, c.nPerGroup, ITERATIVE, 'n');
      assert.equal(r.clustersPerGroup, c.clustersPerGroup);
    });
  }

  for (const c of g.clusteredMde) {
    it(`finds the minimum detectable d for ${c.clustersPerGroup} clusters of ${c.clusterSize} per arm`, () => {
      const r = clusteredMinimumDetectableEffect(c.clustersPerGroup, c.clusterSize, c.icc, c.power);
      assertClose(r.effectiveNPerGroup, c.effectiveNPerGroup, CLOSED_FORM, 'effective n');
      assertClose(r.d, c.d, ITERATIVE, 'd');
    });
  }

  it('has no design effect for clusters of one or zero ICC', () => {
    assert.equal(designEffect(1, 0.4), 1);
    assert.equal(designEffect(30, 0), 1);
  });

  it('rejects impossible designs with a message', () => {
    assert.throws(() => tTestSampleSize(0, 0.8), /cannot be detected/);
    assert.throws(() => tTestSampleSize(20, 0.8), /already has power/);
    assert.throws(() => tTestPower(1, 0.5), StatsInputError);
    assert.throws(() => designEffect(10, 1.5), StatsInputError);
    assert.throws(() => clusteredMinimumDetectableEffect(1, 3, 1, 0.8), /effective learners per arm/);
    assert.throws(() => cohenH(1.2, 0.5), StatsInputError);
  });
});
