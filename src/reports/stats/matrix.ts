/**
 * Small dense matrices for the attribution estimators: row-major `Float64Array` storage, sized for
 * regression designs (thousands of rows, a handful of columns). Decompositions live in
 * `matrix-qr.ts`, `matrix-cholesky.ts` and `matrix-eigen.ts`.
 */
import { AttributionInputError } from './matrix-errors.js';

/** A dense matrix; entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A `rows` x `cols` matrix, zero-filled unless `data` (row-major, length rows * cols) is given. */
export function createMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) {
    throw new RangeError(`matrix data has ${data.length} entries; ${rows} x ${cols} needs ${rows * cols}`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Builds a matrix from an array of equally long rows. An empty array gives a 0 x 0 matrix. */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const m = createMatrix(rows.length, cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`row ${i} has ${row.length} entries; expected ${cols}`);
    m.data.set(row, i * cols);
  });
  return m;
}

/** The matrix as an array of row arrays (for JSON and tests). */
export function matrixToRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Entry (i, j); no bounds check beyond the typed array's. */
export function entry(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j]!;
}

/** The n x n identity. */
export function identityMatrix(n: number): Matrix {
  const m = createMatrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A'. */
export function transpose(a: Matrix): Matrix {
  const t = createMatrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return t;
}

/** A B. Throws a RangeError when the inner dimensions differ. */
export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  const c = createMatrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < b.cols; j++) c.data[i * b.cols + j]! += aik * b.data[k * b.cols + j]!;
    }
  }
  return c;
}

/** A v for a vector v of length A.cols. */
export function multiplyVector(a: Matrix, v: ArrayLike<number>): Float64Array {
  if (v.length !== a.cols)
    throw new RangeError(`vector has ${v.length} entries; matrix has ${a.cols} columns`);
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

/**
 * X'WX for a diagonal weight matrix W given by its diagonal (all ones when `weights` is omitted).
 * The result is symmetric; only the upper triangle is summed and then mirrored.
 */
export function crossProduct(x: Matrix, weights?: ArrayLike<number>): Matrix {
  if (weights && weights.length !== x.rows) {
    throw new RangeError(`weights have ${weights.length} entries; matrix has ${x.rows} rows`);
  }
  const k = x.cols;
  const c = createMatrix(k, k);
  for (let r = 0; r < x.rows; r++) {
    const w = weights ? weights[r]! : 1;
    const base = r * k;
    for (let i = 0; i < k; i++) {
      const wi = w * x.data[base + i]!;
      if (wi === 0) continue;
      for (let j = i; j < k; j++) c.data[i * k + j]! += wi * x.data[base + j]!;
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) c.data[i * k + j] = c.data[j * k + i]!;
  return c;
}

/** The rows of `m` at `indices`, in that order. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = createMatrix(indices.length, m.cols);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r]!;
    out.data.set(m.data.subarray(src * m.cols, (src + 1) * m.cols), r * m.cols);
  }
  return out;
}

/** a' M b for vectors a, b and a square matrix M. */
export function bilinearForm(a: ArrayLike<number>, m: Matrix, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < m.rows; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    let row = 0;
    for (let j = 0; j < m.cols; j++) row += m.data[i * m.cols + j]! * b[j]!;
    s += ai * row;
  }
  return s;
}

/** The square roots of the diagonal of a covariance matrix: standard errors. */
export function diagonalSqrt(v: Matrix): Float64Array {
  const out = new Float64Array(v.rows);
  for (let i = 0; i < v.rows; i++) out[i] = Math.sqrt(v.data[i * v.cols + i]!);
  return out;
}

/**
 * Throws an {@link AttributionInputError} naming the first non-finite entry of a design matrix, so a
 * bad covariate value is reported as data rather than surfacing as NaN estimates.
 */
export function assertFiniteMatrix(m: Matrix, columnNames: readonly string[], what: string): void {
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      if (!Number.isFinite(m.data[i * m.cols + j]!)) {
        throw new AttributionInputError(
          `${what}: the value of '${columnNames[j] ?? `column ${j + 1}`}' on row ${i + 1} is not a finite number; fix or drop that row`,
          { row: i + 1, column: columnNames[j] },
        );
      }
    }
  }
}
