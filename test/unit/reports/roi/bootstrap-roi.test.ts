import assert from 'node:assert/strict';
import { bootstrapRoi } from '../../../../src/reports/roi/bootstrap-roi.js';
import { bootstrap } from '../../../../src/reports/stats/bootstrap.js';
import { percentileInterval } from '../../../../src/reports/stats/bootstrap-intervals.js';
import { Xoshiro128StarStar } from '../../../../src/reports/stats/prng.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';

function skewedBenefits(n: number, seed: number): Float64Array {
  const rng = Xoshiro128StarStar.fromSeed(seed);
  return Float64Array.from({ length: n }, () => -Math.log(1 - rng.nextFloat()) * 450);
}

describe('participant bootstrap of ROI', () => {
  const benefits = skewedBenefits(300, 11);

  it('reports the plug-in ROI (N x mean benefit - cost) / cost as the estimate', () => {
    const r = bootstrapRoi({
      benefitPerParticipant: [100, 200, 300],
      fixedCost: 300,
      participants: 10,
      seed: 1,
      resamples: 50,
    });
    // N x mean = 10 x 200 = 2000; (2000 - 300) / 300
    assert.equal(r.roi, 1700 / 300);
  });

  it('draws the same resamples as the generic bootstrap for the same seed', () => {
    const cost = 90000;
    const roi = bootstrapRoi({ benefitPerParticipant: benefits, fixedCost: cost, seed: 77, resamples: 400 });
    const generic = bootstrap(
      benefits,
      (s) => {
        let total = 0;
        for (let i = 0; i < s.length; i += 1) total += s[i]!;
        return ((benefits.length * total) / s.length - cost) / cost;
      },
      { seed: 77, resamples: 400 },
    );
    roi.replicates.forEach((v, i) =>
      assert.ok(Math.abs(v - generic.replicates[i]!) < 1e-12, `replicate ${i}`),
    );
    assert.ok(Math.abs(roi.bca!.lower - generic.bca!.lower) < 1e-9);
    assert.ok(Math.abs(roi.bca!.upper - generic.bca!.upper) < 1e-9);
  });

  it('quotes the lower BCa bound as the conservative ROI, or the percentile bound on request', () => {
    const r = bootstrapRoi({ benefitPerParticipant: benefits, fixedCost: 90000, seed: 5 });
    assert.equal(r.conservativeFrom, 'bca');
    assert.equal(r.conservativeRoi, r.bca!.lower);
    assert.ok(r.conservativeRoi < r.roi && r.roi < r.bca!.upper);
    assert.deepEqual(r.percentile, percentileInterval(r.replicates, 0.95));
    const p = bootstrapRoi({
      benefitPerParticipant: benefits,
      fixedCost: 90000,
      seed: 5,
      conservativeFrom: 'percentile',
    });
    assert.equal(p.conservativeRoi, p.percentile.lower);
  });

  it('resamples per-participant costs together with the benefits', () => {
    const costs = Float64Array.from(benefits, (_, i) => 20 + (i % 7));
    const r = bootstrapRoi({
      benefitPerParticipant: benefits,
      costPerParticipant: costs,
      fixedCost: 50000,
      seed: 9,
      resamples: 300,
    });
    const meanB = benefits.reduce((s, v) => s + v, 0) / benefits.length;
    const meanC = costs.reduce((s, v) => s + v, 0) / costs.length;
    const cost = 50000 + benefits.length * meanC;
    assert.ok(Math.abs(r.roi - (benefits.length * meanB - cost) / cost) < 1e-12);
    assert.ok(r.percentile.lower < r.roi && r.roi < r.percentile.upper);
  });

  it('narrows the interval as the sample grows', () => {
    const width = (n: number): number => {
      const r = bootstrapRoi({
        benefitPerParticipant: skewedBenefits(n, 3),
        fixedCost: n * 150,
        seed: 2,
        resamples: 1000,
      });
      return r.percentile.upper - r.percentile.lower;
    };
    assert.ok(width(2000) < width(200) / 2);
  });

  it('rejects a non-positive cost and mismatched cost vectors', () => {
    assert.throws(
      () => bootstrapRoi({ benefitPerParticipant: [1, 2], fixedCost: 0, seed: 1 }),
      /total cost must be positive/,
    );
    assert.throws(
      () => bootstrapRoi({ benefitPerParticipant: [1, 2], costPerParticipant: [1], fixedCost: 5, seed: 1 }),
      StatsInputError,
    );
  });
});
