import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { crossProduct, matrixFromRows, multiply, transpose } from '../../../../src/reports/stats/matrix.js';
import { qrDecompose, qrSolve, qrUnscaledCovariance } from '../../../../src/reports/stats/matrix-qr.js';
import { choleskyDecompose, symmetricInverse } from '../../../../src/reports/stats/matrix-cholesky.js';
import { symmetricEigen } from '../../../../src/reports/stats/matrix-eigen.js';
import { assertAllClose, assertMatrixClose } from '../../../fixtures/golden/attribution/golden.js';

describe('matrix', () => {
  const x = matrixFromRows([
    [1, 2, 0.5],
    [1, -1, 3],
    [1, 4, -2],
    [1, 0, 1],
    [1, 3, 3],
  ]);

  it("computes X'WX without forming W", () => {
    const w = [1, 2, 0.5, 1, 3];
    const expected = multiply(
      transpose(x),
      multiply(matrixFromRows(w.map((wi, i) => w.map((_, j) => (i === j ? wi : 0)))), x),
    );
    assertMatrixClose(
      crossProduct(x, w),
      [0, 1, 2].map((i) => Array.from(expected.data.subarray(i * 3, i * 3 + 3))),
      1e-14,
    );
  });

  it('solves least squares by QR to the normal-equation answer', () => {
    const y = [1, 2, 0, 4, 3];
    const b = qrSolve(qrDecompose(x), y);
    const xtx = crossProduct(x);
    const xty = Array.from({ length: 3 }, (_, j) => y.reduce((s, yi, i) => s + x.data[i * 3 + j]! * yi, 0));
    const inv = symmetricInverse(xtx);
    const expected = [0, 1, 2].map((i) => [0, 1, 2].reduce((s, j) => s + inv.data[i * 3 + j]! * xty[j]!, 0));
    assertAllClose(b, expected, 1e-12);
    const unscaled = qrUnscaledCovariance(qrDecompose(x));
    assertMatrixClose(
      unscaled,
      [0, 1, 2].map((i) => Array.from(inv.data.subarray(i * 3, i * 3 + 3))),
      1e-12,
    );
  });

  it('reports the first column that duplicates earlier ones', () => {
    const collinear = matrixFromRows([
      [1, 2, 4],
      [1, 3, 6],
      [1, 5, 10],
      [1, 7, 14],
    ]);
    const qr = qrDecompose(collinear);
    assert.equal(qr.rank, 2);
    assert.equal(qr.deficientColumn, 2);
  });

  it('factors a positive-definite matrix and refuses an indefinite one', () => {
    const a = matrixFromRows([
      [4, 2],
      [2, 3],
    ]);
    const l = choleskyDecompose(a);
    assertMatrixClose(
      multiply(l, transpose(l)),
      [
        [4, 2],
        [2, 3],
      ],
      1e-15,
    );
    assert.throws(
      () =>
        choleskyDecompose(
          matrixFromRows([
            [1, 2],
            [2, 1],
          ]),
        ),
      /not positive definite/,
    );
  });

  it('decomposes a symmetric matrix into orthonormal eigenvectors, largest eigenvalue first', () => {
    const a = crossProduct(x);
    const { values, vectors } = symmetricEigen(a);
    assert.ok(values[0]! >= values[1]! && values[1]! >= values[2]!);
    const lambda = matrixFromRows([0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? values[i]! : 0))));
    const rebuilt = multiply(multiply(vectors, lambda), transpose(vectors));
    assertMatrixClose(
      rebuilt,
      [0, 1, 2].map((i) => Array.from(a.data.subarray(i * 3, i * 3 + 3))),
      1e-12,
    );
    assertMatrixClose(
      multiply(transpose(vectors), vectors),
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      1e-14,
    );
  });
});
