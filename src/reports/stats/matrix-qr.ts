/**
 * Householder QR decomposition for least squares, the numerically careful way to fit OLS and each
 * IRLS step of a logistic regression (it never forms X'X, so its error grows with the condition number
 * of X rather than its square). Columns are not pivoted: a column whose remaining norm falls below
 * `tolerance` times its original norm is reported as rank-deficient, the criterion R's `lm` uses
 * (LINPACK dqrdc2, tol = 1e-7), and the caller names the offending covariate.
 */
import { createMatrix, type Matrix } from './matrix.js';

/** X = QR, with the Householder vectors kept below the diagonal of `packed` and R on and above it. */
export interface QrDecomposition {
  readonly rows: number;
  readonly cols: number;
  /** Row-major rows x cols: R in the upper triangle, Householder vectors (implicit leading 1) below. */
  readonly packed: Float64Array;
  readonly tau: Float64Array;
  /** Number of leading columns that are linearly independent (equals cols when full rank). */
  readonly rank: number;
  /** Index of the first column found to depend on earlier ones, or null when full rank. */
  readonly deficientColumn: number | null;
}

/**
 * Decomposes an n x k matrix (n >= k). Stops at the first column that is (numerically) a linear
 * combination of the columns before it, or all zero; `rank` and `deficientColumn` then say which.
 */
export function qrDecompose(x: Matrix, tolerance = 1e-7): QrDecomposition {
  const n = x.rows;
  const k = x.cols;
  if (n < k) throw new RangeError(`QR needs at least as many rows (${n}) as columns (${k})`);
  const a = Float64Array.from(x.data);
  const tau = new Float64Array(k);
  const original = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i * k + j]! ** 2;
    original[j] = Math.sqrt(s);
  }
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = j; i < n; i++) s += a[i * k + j]! ** 2;
    const norm = Math.sqrt(s);
    if (original[j] === 0 || norm <= tolerance * original[j]!) {
      return { rows: n, cols: k, packed: a, tau, rank: j, deficientColumn: j };
    }
    const x0 = a[j * k + j]!;
    const alpha = x0 >= 0 ? -norm : norm;
    const v0 = x0 - alpha;
    for (let i = j + 1; i < n; i++) a[i * k + j]! /= v0;
    const t = (alpha - x0) / alpha;
    tau[j] = t;
    a[j * k + j] = alpha;
    for (let c = j + 1; c < k; c++) {
      let w = a[j * k + c]!;
      for (let i = j + 1; i < n; i++) w += a[i * k + j]! * a[i * k + c]!;
      w *= t;
      a[j * k + c]! -= w;
      for (let i = j + 1; i < n; i++) a[i * k + c]! -= w * a[i * k + j]!;
    }
  }
  return { rows: n, cols: k, packed: a, tau, rank: k, deficientColumn: null };
}

/** Q'y for a vector of length n. */
export function qrApplyQt(qr: QrDecomposition, y: ArrayLike<number>): Float64Array {
  const { rows: n, cols: k, packed: a, tau } = qr;
  if (y.length !== n) throw new RangeError(`vector has ${y.length} entries; QR has ${n} rows`);
  const out = Float64Array.from(y);
  for (let j = 0; j < qr.rank; j++) {
    let w = out[j]!;
    for (let i = j + 1; i < n; i++) w += a[i * k + j]! * out[i]!;
    w *= tau[j]!;
    out[j]! -= w;
    for (let i = j + 1; i < n; i++) out[i]! -= w * a[i * k + j]!;
  }
  return out;
}

function assertFullRank(qr: QrDecomposition): void {
  if (qr.deficientColumn !== null) {
    throw new RangeError(`matrix is rank-deficient at column ${qr.deficientColumn + 1}`);
  }
}

/** The least-squares solution b of min |y - X b| for a full-rank decomposition of X. */
export function qrSolve(qr: QrDecomposition, y: ArrayLike<number>): Float64Array {
  assertFullRank(qr);
  const k = qr.cols;
  const qty = qrApplyQt(qr, y);
  const b = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = qty[i]!;
    for (let j = i + 1; j < k; j++) s -= qr.packed[i * k + j]! * b[j]!;
    b[i] = s / qr.packed[i * k + i]!;
  }
  return b;
}

/** R^{-1} (k x k upper triangular), so that (X'X)^{-1} = R^{-1} R^{-T}. */
export function qrRInverse(qr: QrDecomposition): Matrix {
  assertFullRank(qr);
  const k = qr.cols;
  const inv = createMatrix(k, k);
  for (let col = 0; col < k; col++) {
    for (let i = col; i >= 0; i--) {
      let s = i === col ? 1 : 0;
      for (let j = i + 1; j <= col; j++) s -= qr.packed[i * k + j]! * inv.data[j * k + col]!;
      inv.data[i * k + col] = s / qr.packed[i * k + i]!;
    }
  }
  return inv;
}

/** (X'X)^{-1} = R^{-1} R^{-T}, R's `chol2inv(qr.R(qr(X)))`. */
export function qrUnscaledCovariance(qr: QrDecomposition): Matrix {
  const rInv = qrRInverse(qr);
  const k = qr.cols;
  const out = createMatrix(k, k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let m = Math.max(i, j); m < k; m++) s += rInv.data[i * k + m]! * rInv.data[j * k + m]!;
      out.data[i * k + j] = s;
      out.data[j * k + i] = s;
    }
  }
  return out;
}
