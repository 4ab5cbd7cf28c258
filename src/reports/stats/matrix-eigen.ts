/**
 * Eigen-decomposition of small symmetric matrices by the cyclic Jacobi method: slow for large
 * matrices but accurate to rounding for the k x k (k = number of regression coefficients) problems the
 * CR2 variance estimator needs.
 */
import { createMatrix, identityMatrix, type Matrix } from './matrix.js';

/** A = V diag(values) V', eigenvalues in decreasing order, eigenvectors in the columns of `vectors`. */
export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors: Matrix;
}

const MAX_SWEEPS = 100;

/**
 * Decomposes a symmetric matrix (only symmetry up to rounding is assumed; the upper triangle is used).
 * Throws a RangeError if the rotations have not converged after 100 sweeps, which does not happen for
 * finite input.
 */
export function symmetricEigen(a: Matrix): SymmetricEigen {
  if (a.rows !== a.cols) throw new RangeError(`eigen needs a square matrix; got ${a.rows}x${a.cols}`);
  const n = a.rows;
  const m = createMatrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      m.data[i * n + j] = a.data[i * n + j]!;
      m.data[j * n + i] = a.data[i * n + j]!;
    }
  }
  const v = identityMatrix(n);
  const d = m.data;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += d[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += d[i * n + j]! ** 2;
    }
    if (off === 0 || off <= 1e-32 * diag) return sortedEigen(m, v);
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = d[p * n + q]!;
        if (apq === 0) continue;
        const app = d[p * n + p]!;
        const aqq = d[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = d[r * n + p]!;
          const arq = d[r * n + q]!;
          d[r * n + p] = c * arp - s * arq;
          d[r * n + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = d[p * n + r]!;
          const aqr = d[q * n + r]!;
          d[p * n + r] = c * apr - s * aqr;
          d[q * n + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < n; r++) {
          const vrp = v.data[r * n + p]!;
          const vrq = v.data[r * n + q]!;
          v.data[r * n + p] = c * vrp - s * vrq;
          v.data[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  throw new RangeError('Jacobi eigen-decomposition did not converge');
}

function sortedEigen(m: Matrix, v: Matrix): SymmetricEigen {
  const n = m.rows;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => m.data[j * n + j]! - m.data[i * n + i]!,
  );
  const values = new Float64Array(n);
  const vectors = createMatrix(n, n);
  order.forEach((src, dst) => {
    values[dst] = m.data[src * n + src]!;
    for (let r = 0; r < n; r++) vectors.data[r * n + dst] = v.data[r * n + src]!;
  });
  return { values, vectors };
}
