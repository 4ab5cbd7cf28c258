/**
 * Ordinary least squares by Householder QR, with classical and heteroskedasticity-robust (HC0/HC1)
 * covariance matrices. Reference: R's `lm()` and `sandwich::vcovHC()`.
 */
import { AttributionInputError } from './matrix-errors.js';
import { assertFiniteMatrix, createMatrix, multiplyVector, type Matrix } from './matrix.js';
import { qrDecompose, qrRInverse, qrSolve, qrUnscaledCovariance } from './matrix-qr.js';

/** An OLS fit; everything the sandwich estimators in `cluster-robust*.ts` need is kept. */
export interface OlsFit {
  readonly columns: readonly string[];
  /** The n x k design matrix X the fit used. */
  readonly design: Matrix;
  readonly y: Float64Array;
  readonly coefficients: Float64Array;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  readonly n: number;
  readonly k: number;
  /** n - k. */
  readonly dfResidual: number;
  /** Residual standard error sqrt(RSS / (n - k)), in the units of y. */
  readonly sigma: number;
  /** (X'X)^{-1}, called the bread M by the sandwich estimators. */
  readonly unscaledCovariance: Matrix;
  /** R^{-1} from X = QR, a square root of (X'X)^{-1}: M = R^{-1} R^{-T}. */
  readonly rInverse: Matrix;
}

/**
 * Fits y = X b + e by least squares. `columns` names the columns of X (e.g. '(Intercept)', 'treated')
 * and is used in error messages.
 *
 * Throws {@link AttributionInputError} when y or X has a non-finite value, when there are no more rows
 * than columns (no residual degrees of freedom), or when a column is constant alongside the intercept,
 * all zero, or a linear combination of earlier columns (rank deficiency at lm's tolerance 1e-7).
 */
export function fitOls(design: Matrix, y: ArrayLike<number>, columns: readonly string[]): OlsFit {
  const { rows: n, cols: k } = design;
  if (columns.length !== k) throw new RangeError(`${columns.length} column names for ${k} columns`);
  if (y.length !== n) throw new RangeError(`outcome has ${y.length} values; design has ${n} rows`);
  if (n <= k) {
    throw new AttributionInputError(
      `the regression has ${n} rows and ${k} coefficients; it needs more rows than coefficients to estimate the error variance`,
      { rows: n, coefficients: k },
    );
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!)) {
      throw new AttributionInputError(
        `the outcome on row ${i + 1} is not a finite number; fix or drop that row`,
        {
          row: i + 1,
        },
      );
    }
  }
  assertFiniteMatrix(design, columns, 'regression');
  const qr = qrDecompose(design);
  if (qr.deficientColumn !== null) {
    const name = columns[qr.deficientColumn];
    throw new AttributionInputError(
      `the covariate '${name}' is constant, all zero, or a linear combination of earlier columns (${columns
        .slice(0, qr.deficientColumn)
        .join(', ')}); drop it or the column it duplicates`,
      { column: name },
    );
  }
  const yy = Float64Array.from(y);
  const coefficients = qrSolve(qr, yy);
  const fitted = multiplyVector(design, coefficients);
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    residuals[i] = yy[i]! - fitted[i]!;
    rss += residuals[i]! ** 2;
  }
  return {
    columns,
    design,
    y: yy,
    coefficients,
    fitted,
    residuals,
    n,
    k,
    dfResidual: n - k,
    sigma: Math.sqrt(rss / (n - k)),
    unscaledCovariance: qrUnscaledCovariance(qr),
    rInverse: qrRInverse(qr),
  };
}

/** Classical covariance sigma^2 (X'X)^{-1}, R's `vcov(lm)`. Assumes homoskedastic, independent errors. */
export function classicalCovariance(fit: OlsFit): Matrix {
  const s2 = fit.sigma ** 2;
  return createMatrix(
    fit.k,
    fit.k,
    fit.unscaledCovariance.data.map((v) => v * s2),
  );
}

/**
 * Sandwich covariance M (sum_i x_i x_i' e_i^2) M with M = (X'X)^{-1}, for independent but
 * heteroskedastic errors. 'HC1' multiplies by n / (n - k), as `sandwich::vcovHC(type = 'HC1')` and
 * Stata's `robust`; 'HC0' does not.
 */
export function heteroskedasticCovariance(fit: OlsFit, type: 'HC0' | 'HC1' = 'HC1'): Matrix {
  const { k, n, design, residuals } = fit;
  const meat = createMatrix(k, k);
  for (let r = 0; r < n; r++) {
    const e2 = residuals[r]! ** 2;
    for (let i = 0; i < k; i++) {
      const xi = design.data[r * k + i]! * e2;
      for (let j = 0; j < k; j++) meat.data[i * k + j]! += xi * design.data[r * k + j]!;
    }
  }
  const factor = type === 'HC1' ? n / (n - k) : 1;
  return sandwich(fit.unscaledCovariance, meat, factor);
}

/** factor * M meat M for symmetric M and meat. */
export function sandwich(bread: Matrix, meat: Matrix, factor = 1): Matrix {
  const k = bread.rows;
  const tmp = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += bread.data[i * k + m]! * meat.data[m * k + j]!;
      tmp[i * k + j] = s;
    }
  }
  const out = createMatrix(k, k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += tmp[i * k + m]! * bread.data[m * k + j]!;
      out.data[i * k + j] = s * factor;
      out.data[j * k + i] = s * factor;
    }
  }
  return out;
}
