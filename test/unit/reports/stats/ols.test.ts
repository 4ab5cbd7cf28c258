import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { matrixFromRows } from '../../../../src/reports/stats/matrix.js';
import { AttributionInputError } from '../../../../src/reports/stats/matrix-errors.js';
import { classicalCovariance, fitOls, heteroskedasticCovariance } from '../../../../src/reports/stats/ols.js';
import { groupClusters, cr1Covariance } from '../../../../src/reports/stats/cluster-robust.js';
import { cr2Covariance } from '../../../../src/reports/stats/cluster-robust-cr2.js';
import { diagonalSqrt } from '../../../../src/reports/stats/matrix.js';
import {
  assertAllClose,
  assertClose,
  assertMatrixClose,
  readGolden,
} from '../../../fixtures/golden/attribution/golden.js';

interface OlsExpected {
  columns: string[];
  design: number[][];
  coefficients: number[];
  residuals: number[];
  sigma: number;
  dfResidual: number;
  vcovClassical: number[][];
  seHC1: number[];
  vcovHC1: number[][];
  clusters: number;
  cr1: { vcov: number[][]; se: number[] };
  cr2: { vcov: number[][]; se: number[]; df: number[] };
}
interface OlsRow {
  cluster: string;
  y: number;
}
const golden = readGolden<{ rows: OlsRow[] }, { main: OlsExpected; singular: OlsExpected }>(
  'ols-cluster-robust',
);

for (const [label, expected] of Object.entries(golden.expected)) {
  describe(`OLS and cluster-robust variance against R (${label} design)`, () => {
    const fit = fitOls(
      matrixFromRows(expected.design),
      golden.input.rows.map((r) => r.y),
      expected.columns,
    );
    const clusters = groupClusters(golden.input.rows.map((r) => r.cluster));

    it('matches lm() coefficients, residuals and sigma', () => {
      assertAllClose(fit.coefficients, expected.coefficients, 1e-8, 'coefficients');
      assertAllClose(fit.residuals, expected.residuals, 1e-8, 'residuals');
      assertClose(fit.sigma, expected.sigma, 1e-8, 'sigma');
      assert.equal(fit.dfResidual, expected.dfResidual);
    });

    it('matches vcov(lm) and sandwich::vcovHC(type = "HC1")', () => {
      assertMatrixClose(classicalCovariance(fit), expected.vcovClassical, 1e-8, 'classical');
      assertMatrixClose(heteroskedasticCovariance(fit, 'HC1'), expected.vcovHC1, 1e-8, 'HC1');
    });

    it('matches sandwich::vcovCL(type = "HC1") for CR1', () => {
      assert.equal(clusters.count, expected.clusters);
      assertMatrixClose(cr1Covariance(fit, clusters), expected.cr1.vcov, 1e-8, 'CR1');
    });

    it('matches clubSandwich CR2 covariance and Satterthwaite degrees of freedom', () => {
      const cr2 = cr2Covariance(fit, clusters);
      assertMatrixClose(cr2.vcov, expected.cr2.vcov, 1e-8, 'CR2');
      assertAllClose(diagonalSqrt(cr2.vcov), expected.cr2.se, 1e-8, 'CR2 SE');
      assertAllClose(cr2.satterthwaiteDf, expected.cr2.df, 1e-8, 'Satterthwaite df');
    });
  });
}

describe('OLS input checks', () => {
  it('names a covariate that duplicates another', () => {
    const x = matrixFromRows([
      [1, 1, 2],
      [1, 2, 4],
      [1, 3, 6],
      [1, 4, 8],
    ]);
    assert.throws(
      () => fitOls(x, [1, 2, 3, 5], ['(Intercept)', 'hours', 'minutesBy30']),
      (e: unknown) => e instanceof AttributionInputError && /'minutesBy30'/.test(e.message),
    );
  });

  it('refuses a non-finite outcome and says which row', () => {
    const x = matrixFromRows([[1], [1], [1]]);
    assert.throws(() => fitOls(x, [1, Number.NaN, 3], ['(Intercept)']), /row 2/);
  });

  it('needs more rows than coefficients', () => {
    const x = matrixFromRows([
      [1, 0],
      [1, 1],
    ]);
    assert.throws(() => fitOls(x, [1, 2], ['(Intercept)', 'x']), AttributionInputError);
  });

  it('needs at least two clusters', () => {
    assert.throws(() => groupClusters(['a', 'a', 'a']), /at least 2 clusters; the data has 1/);
  });
});
