/**
 * Cholesky factorisation for small symmetric positive-definite matrices (covariance matrices, X'WX of
 * a handful of columns): solves and inverses without pivoting.
 */
import { createMatrix, type Matrix } from './matrix.js';

/**
 * The lower-triangular L with A = L L'. Throws a RangeError naming the pivot when A is not positive
 * definite (a zero or negative pivot, e.g. collinear columns behind X'X).
 */
export function choleskyDecompose(a: Matrix): Matrix {
  if (a.rows !== a.cols) throw new RangeError(`Cholesky needs a square matrix; got ${a.rows}x${a.cols}`);
  const n = a.rows;
  const l = createMatrix(n, n);
  for (let j = 0; j < n; j++) {
    let d = a.data[j * n + j]!;
    for (let m = 0; m < j; m++) d -= l.data[j * n + m]! ** 2;
    if (!(d > 0)) throw new RangeError(`matrix is not positive definite (pivot ${j + 1} is ${d})`);
    const ljj = Math.sqrt(d);
    l.data[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a.data[i * n + j]!;
      for (let m = 0; m < j; m++) s -= l.data[i * n + m]! * l.data[j * n + m]!;
      l.data[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves A x = b given the Cholesky factor L of A. */
export function choleskySolve(l: Matrix, b: ArrayLike<number>): Float64Array {
  const n = l.rows;
  if (b.length !== n) throw new RangeError(`vector has ${b.length} entries; matrix is ${n}x${n}`);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= l.data[i * n + m]! * y[m]!;
    y[i] = s / l.data[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let m = i + 1; m < n; m++) s -= l.data[m * n + i]! * x[m]!;
    x[i] = s / l.data[i * n + i]!;
  }
  return x;
}

/** A^{-1} for a small symmetric positive-definite A, via its Cholesky factor; exactly symmetric. */
export function symmetricInverse(a: Matrix): Matrix {
  const l = choleskyDecompose(a);
  const n = a.rows;
  const inv = createMatrix(n, n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, e);
    for (let i = 0; i < n; i++) inv.data[i * n + j] = col[i]!;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const avg = (inv.data[i * n + j]! + inv.data[j * n + i]!) / 2;
      inv.data[i * n + j] = avg;
      inv.data[j * n + i] = avg;
    }
  }
  return inv;
}
