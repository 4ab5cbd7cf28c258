import assert from 'node:assert/strict';
import {
  acceleration,
  bcaInterval,
  jackknifeInfluence,
  percentileInterval,
} from '../../../../src/reports/stats/bootstrap-intervals.js';
import { bootstrap, jackknife, type Statistic } from '../../../../src/reports/stats/bootstrap.js';
import { meanUnchecked, varianceUnchecked } from '../../../../src/reports/stats/moments.js';
import { quantileOfSorted } from '../../../../src/reports/stats/quantile.js';
import { StatsInputError } from '../../../../src/reports/stats/stats-input-error.js';
import { CLOSED_FORM, assertClose, readGolden } from './golden.js';

interface Bounds {
  lower: number;
  upper: number;
  positions?: number[];
}
interface Case {
  name: string;
  statistic: 'mean' | 'sd' | 'median';
  data: number[];
  estimate: number;
  replicates: number[];
  jackknife: number[];
  influenceBoot: number[];
  biasCorrection: number;
  accelerationBoot: number;
  accelerationEfron: number;
  intervals: { confidence: number; perc: Bounds; bcaBoot: Bounds; bcaEfron: Bounds }[];
}

const statistics: Record<Case['statistic'], Statistic> = {
  mean: (s) => meanUnchecked(s),
  sd: (s) => Math.sqrt(varianceUnchecked(s, meanUnchecked(s))),
  median: (s) => quantileOfSorted(s.sort(), 0.5),
};

/** Positions are rounded to 2 decimals for display; R's round() and ours may differ on a final 5. */
function assertPositions(actual: readonly number[], expected: readonly number[] | undefined): void {
  actual.forEach((v, i) =>
    assert.ok(Math.abs(v - expected![i]!) <= 0.01 + 1e-9, `position ${v} vs ${expected![i]}`),
  );
}

describe('bootstrap interval formulas against boot.ci', () => {
  const { cases } = readGolden<{ cases: Case[] }>('bootstrap');

  for (const c of cases) {
    it(`computes the same leave-one-out values and influence as R for ${c.name}`, () => {
      const jack = jackknife(c.data, statistics[c.statistic]);
      jack.forEach((v, i) => assertClose(v, c.jackknife[i]!, CLOSED_FORM, `jackknife ${i}`));
      jackknifeInfluence(c.jackknife, c.estimate, 'boot').forEach((v, i) =>
        assertClose(v, c.influenceBoot[i]!, CLOSED_FORM, `L ${i}`),
      );
      assertClose(
        acceleration(jackknifeInfluence(c.jackknife, c.estimate)),
        c.accelerationBoot,
        CLOSED_FORM,
        'a',
      );
      assertClose(
        acceleration(jackknifeInfluence(c.jackknife, c.estimate, 'efron')),
        c.accelerationEfron,
        CLOSED_FORM,
        'a (efron)',
      );
    });

    for (const expected of c.intervals) {
      it(`matches boot.ci percentile and BCa for ${c.name} at ${expected.confidence}`, () => {
        const perc = percentileInterval(c.replicates, expected.confidence);
        assertClose(perc.lower, expected.perc.lower, CLOSED_FORM, 'perc lower');
        assertClose(perc.upper, expected.perc.upper, CLOSED_FORM, 'perc upper');
        assertPositions(perc.positions, expected.perc.positions);
        const bca = bcaInterval(c.replicates, c.estimate, c.jackknife, expected.confidence);
        assertClose(bca.biasCorrection, c.biasCorrection, CLOSED_FORM, 'w');
        assertClose(bca.lower, expected.bcaBoot.lower, CLOSED_FORM, 'bca lower');
        assertClose(bca.upper, expected.bcaBoot.upper, CLOSED_FORM, 'bca upper');
        assertPositions(bca.positions, expected.bcaBoot.positions);
        const efron = bcaInterval(c.replicates, c.estimate, c.jackknife, expected.confidence, 'efron');
        assertClose(efron.lower, expected.bcaEfron.lower, CLOSED_FORM, 'bca (efron) lower');
        assertClose(efron.upper, expected.bcaEfron.upper, CLOSED_FORM, 'bca (efron) upper');
      });
    }
  }

  it('falls back to the sample extremes when there are too few replicates, as norm.inter does', () => {
    const perc = percentileInterval([5, 1, 3], 0.9);
    assert.equal(perc.lower, 1);
    assert.equal(perc.upper, 5);
  });

  it('counts a replicate that equals the estimate up to rounding noise as a tie, not as below it', () => {
    // 0.1 + 0.2 is 0.30000000000000004: the same total summed in another order.
    const replicates = [0.1, 0.2, 0.3, 0.3, 0.3, 0.4, 0.5, 0.6];
    const jack = [0.2, 0.25, 0.3, 0.35, 0.4];
    const exact = bcaInterval(replicates, 0.3, jack, 0.8);
    const noisy = bcaInterval(
      replicates.map((r) => (r === 0.3 ? 0.1 + 0.2 - 2 * Number.EPSILON : r)),
      0.1 + 0.2,
      jack,
      0.8,
    );
    assert.equal(noisy.biasCorrection, exact.biasCorrection);
    assert.ok(exact.biasCorrection < 0, 'two of eight strictly below gives a negative correction');
  });

  it('refuses BCa when every replicate is on one side of the estimate', () => {
    assert.throws(() => bcaInterval([2, 3, 4], 1, [1, 2, 3]), /bias correction is infinite/);
    assert.throws(() => bcaInterval([0, 3, 4], 2, [2, 2, 2]), /acceleration is undefined/);
  });
});

describe('seeded nonparametric bootstrap', () => {
  const data = Array.from({ length: 60 }, (_, i) => ((i * 37) % 23) + (i % 5) * 0.5);

  it('reproduces the same replicates and intervals for the same seed', () => {
    const a = bootstrap(data, statistics.mean, { seed: 99, resamples: 500 });
    const b = bootstrap(data, statistics.mean, { seed: 99, resamples: 500 });
    const c = bootstrap(data, statistics.mean, { seed: 100, resamples: 500 });
    assert.deepEqual(a.replicates, b.replicates);
    assert.deepEqual(a.bca, b.bca);
    assert.notDeepEqual(a.replicates, c.replicates);
  });

  it('centres the replicates of the mean on the estimate with spread near the standard error', () => {
    const r = bootstrap(data, statistics.mean, { seed: 5, resamples: 4000 });
    const m = meanUnchecked(data);
    const se = Math.sqrt(varianceUnchecked(data, m) * (data.length - 1)) / data.length;
    const repMean = meanUnchecked(r.replicates);
    const repSd = Math.sqrt(varianceUnchecked(r.replicates, repMean));
    assert.ok(Math.abs(repMean - m) < 0.1 * se, `replicate mean ${repMean} vs ${m}`);
    assert.ok(Math.abs(repSd / se - 1) < 0.06, `replicate sd ${repSd} vs plug-in se ${se}`);
    assert.ok(r.percentile.lower < m && m < r.percentile.upper);
    assert.ok(r.bca !== null && r.bca.lower < m && m < r.bca.upper);
  });

  it('lets the statistic sort its buffer in place without corrupting resamples or the jackknife', () => {
    const r = bootstrap(data, statistics.median, { seed: 3, resamples: 200 });
    const expected = jackknife(data, (s) => quantileOfSorted(Float64Array.from(s).sort(), 0.5));
    assert.deepEqual(r.jackknife, expected);
  });

  it('reports why BCa is unavailable instead of failing for a constant statistic', () => {
    const r = bootstrap([1, 1, 1, 1], statistics.mean, { seed: 1, resamples: 50 });
    assert.equal(r.bca, null);
    assert.match(r.bcaUnavailable ?? '', /bias correction is infinite/);
  });

  it('rejects fewer than two observations and a bad resample count', () => {
    assert.throws(() => bootstrap([1], statistics.mean, { seed: 1 }), StatsInputError);
    assert.throws(() => bootstrap([1, 2], statistics.mean, { seed: 1, resamples: 1.5 }), StatsInputError);
  });
});
