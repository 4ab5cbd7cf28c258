import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { fitLogistic } from '../../../../src/reports/stats/logistic.js';
import { separatesAlone } from '../../../../src/reports/stats/logistic-separation.js';
import { createMatrix, type Matrix } from '../../../../src/reports/stats/matrix.js';
import { AttributionInputError } from '../../../../src/reports/stats/matrix-errors.js';
import { assertAllClose, assertClose, readGolden } from '../../../fixtures/golden/attribution/golden.js';

interface GlmExpected {
  columns: string[];
  coefficients: number[];
  se: number[];
  z: number[];
  p: number[];
  deviance: number;
  nullDeviance: number;
  aic: number;
  iterations: number;
  converged: boolean;
  fitted: number[];
  warnings: string[];
}

function design(rows: readonly Record<string, number>[], names: readonly string[]): Matrix {
  const m = createMatrix(rows.length, names.length);
  rows.forEach((r, i) => names.forEach((n, j) => (m.data[i * names.length + j] = r[n]!)));
  return m;
}

describe('logistic regression against glm(family = binomial)', () => {
  const golden = readGolden<
    { outcome: string; covariates: string[]; rows: Record<string, number>[] },
    GlmExpected
  >('logistic-3-covariates');
  const { covariates, rows, outcome } = golden.input;
  const e = golden.expected;
  const fit = fitLogistic(
    design(rows, covariates),
    rows.map((r) => r[outcome]!),
    covariates,
  );

  it('matches coefficients, standard errors, z and p to 1e-6', () => {
    assert.deepEqual(fit.columns, e.columns);
    assertAllClose(fit.coefficients, e.coefficients, 1e-6, 'coefficients');
    assertAllClose(fit.se, e.se, 1e-6, 'se');
    assertAllClose(fit.z, e.z, 1e-6, 'z');
    assertAllClose(fit.p, e.p, 1e-6, 'p');
  });

  it('matches deviance, null deviance, AIC, fitted probabilities and the iteration count', () => {
    assertClose(fit.deviance, e.deviance, 1e-6, 'deviance');
    assertClose(fit.nullDeviance, e.nullDeviance, 1e-8, 'null deviance');
    assertClose(fit.aic, e.aic, 1e-6, 'aic');
    assertAllClose(fit.fitted, e.fitted, 1e-6, 'fitted');
    assert.equal(fit.iterations, e.iterations);
    assert.equal(fit.converged, true);
  });

  it('reports no separation and no warnings on well-behaved data', () => {
    assert.equal(fit.separation.detected, false);
    assert.equal(fit.separation.kind, 'none');
    assert.deepEqual(fit.warnings, []);
  });
});

describe('logistic regression on separated data', () => {
  const golden = readGolden<
    { covariates: string[]; rows: Record<string, number>[] },
    { complete: GlmExpected; quasi: GlmExpected }
  >('logistic-separated');
  const { covariates, rows } = golden.input;
  const x = design(rows, covariates);

  it('flags complete separation by x1 where R warns that probabilities reached 0 or 1', () => {
    const e = golden.expected.complete;
    assert.ok(e.warnings.some((w) => /numerically 0 or 1/.test(w)));
    const fit = fitLogistic(
      x,
      rows.map((r) => r.complete!),
      covariates,
    );
    assert.equal(fit.separation.detected, true);
    assert.equal(fit.separation.kind, 'complete');
    assert.deepEqual(fit.separation.covariates, ['x1']);
    assert.equal(fit.converged, e.converged);
    assert.equal(fit.iterations, e.iterations);
    assert.ok(fit.warnings.some((w) => /numerically 0 or 1/.test(w)));
    assert.ok(fit.warnings.some((w) => /complete separation involving 'x1'/.test(w)));
  });

  it('flags quasi-complete separation by x2 that R fits without a warning', () => {
    const e = golden.expected.quasi;
    assert.deepEqual(e.warnings, []);
    const fit = fitLogistic(
      x,
      rows.map((r) => r.quasi!),
      covariates,
    );
    assert.equal(fit.separation.detected, true);
    assert.equal(fit.separation.kind, 'quasi-complete');
    assert.deepEqual(fit.separation.covariates, ['x2']);
    assert.equal(fit.iterations, e.iterations);
    // The finite coefficients agree with glm; x2's is wherever the iterations stopped.
    for (const j of [0, 1, 3]) assertClose(fit.coefficients[j]!, e.coefficients[j]!, 1e-6, e.columns[j]);
  });

  it('finds separation by a combination of covariates when neither separates alone', () => {
    const n = 40;
    const m = createMatrix(n, 2);
    const yy: number[] = [];
    for (let i = 0; i < n; i++) {
      const x1 = ((i * 7) % 20) / 10 - 1;
      const x2 = ((i * 11) % 20) / 10 - 1;
      m.data.set([x1, x2], i * 2);
      yy.push(x1 + x2 > 0.05 ? 1 : 0);
    }
    const col = (j: number) => Array.from({ length: n }, (_, i) => m.data[i * 2 + j]!);
    assert.equal(separatesAlone('x1', col(0), yy), null);
    assert.equal(separatesAlone('x2', col(1), yy), null);
    const fit = fitLogistic(m, yy, ['x1', 'x2']);
    assert.equal(fit.separation.kind, 'complete');
    assert.deepEqual(fit.separation.covariates, ['x1', 'x2']);
  });

  it('explains in words which covariate separates and how', () => {
    const x2 = rows.map((r) => r.x2!);
    const found = separatesAlone(
      'x2',
      x2,
      rows.map((r) => r.quasi!),
    );
    assert.equal(found?.kind, 'quasi-complete');
    assert.match(found!.finding, /every row with x2 above 0 has outcome 1/);
    assert.equal(
      separatesAlone(
        'x3',
        rows.map((r) => r.x3!),
        rows.map((r) => r.quasi!),
      ),
      null,
    );
  });
});

describe('logistic regression input errors', () => {
  const x = createMatrix(6, 1, Float64Array.from([1, 2, 3, 4, 5, 6]));

  it('requires 0/1 outcomes and lists offending rows', () => {
    assert.throws(() => fitLogistic(x, [0, 1, 2, 0, 1, 0.5], ['x']), /rows 3 and 6 have other values/);
  });

  it('requires both outcomes', () => {
    assert.throws(() => fitLogistic(x, [1, 1, 1, 1, 1, 1], ['x']), /every row has outcome 1/);
  });

  it('names a constant covariate', () => {
    const c = createMatrix(6, 2, Float64Array.from([1, 7, 2, 7, 3, 7, 4, 7, 5, 7, 6, 7]));
    assert.throws(
      () => fitLogistic(c, [0, 1, 0, 1, 1, 0], ['x', 'site']),
      (err: unknown) => err instanceof AttributionInputError && /'site' is constant/.test(err.message),
    );
  });
});
