/**
 * Logistic regression (binomial family, logit link, with intercept) fitted by iteratively reweighted
 * least squares exactly as R's `glm.fit`: the same starting values (mu = (y + 0.5) / 2), the same
 * clamped inverse link (|eta| > 30 saturates), QR for every weighted least-squares step, convergence
 * when |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations, and standard errors from the
 * weights of the final iteration. On non-separated data the coefficients agree with
 * `glm(family = binomial)` to rounding. Separation is detected by `logistic-separation.ts`.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { AttributionInputError, listForMessage } from './matrix-errors.js';
import { assertFiniteMatrix, createMatrix, diagonalSqrt, multiplyVector, type Matrix } from './matrix.js';
import { qrDecompose, qrSolve, qrUnscaledCovariance } from './matrix-qr.js';
import { detectSeparation, type SeparationReport } from './logistic-separation.js';

export interface LogisticOptions {
  /** Relative deviance change that ends the iterations; R's glm.control epsilon, default 1e-8. */
  readonly tolerance?: number;
  /** Iteration limit; R's glm.control maxit, default 25. */
  readonly maxIterations?: number;
}

export interface LogisticFit {
  /** '(Intercept)' followed by the covariate names. */
  readonly columns: readonly string[];
  /** Log-odds coefficients (per unit of each covariate). */
  readonly coefficients: Float64Array;
  readonly se: Float64Array;
  /** Wald z statistics and two-sided normal p-values, as summary.glm. */
  readonly z: Float64Array;
  readonly p: Float64Array;
  readonly deviance: number;
  readonly nullDeviance: number;
  /** deviance + 2 x number of coefficients (0/1 outcomes). */
  readonly aic: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Fitted probabilities, one per row. */
  readonly fitted: Float64Array;
  readonly linearPredictor: Float64Array;
  readonly separation: SeparationReport;
  /** glm's warnings plus separation findings, in words. */
  readonly warnings: readonly string[];
}

const EPS = 2.220446049250313e-16;
const THRESH = 30;

function linkInverse(eta: number): number {
  const t = eta < -THRESH ? EPS : eta > THRESH ? 1 / EPS : Math.exp(eta);
  return t / (1 + t);
}

function muEta(eta: number): number {
  if (eta > THRESH || eta < -THRESH) return EPS;
  const opexp = 1 + Math.exp(eta);
  return Math.exp(eta) / (opexp * opexp);
}

function deviance(y: Float64Array, mu: Float64Array | number): number {
  let dev = 0;
  for (let i = 0; i < y.length; i++) {
    const m = typeof mu === 'number' ? mu : mu[i]!;
    dev += y[i] === 1 ? -2 * Math.log(m) : -2 * Math.log(1 - m);
  }
  return dev;
}

function validate(covariates: Matrix, y: ArrayLike<number>, names: readonly string[]): Float64Array {
  if (names.length !== covariates.cols)
    throw new RangeError(`${names.length} names for ${covariates.cols} covariates`);
  if (y.length !== covariates.rows) throw new RangeError(`${y.length} outcomes for ${covariates.rows} rows`);
  const bad: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) bad.push(i + 1);
  if (bad.length > 0) {
    throw new AttributionInputError(
      `the outcome must be 0 or 1; rows ${listForMessage(bad)} have other values`,
      {
        rows: bad,
      },
    );
  }
  const yy = Float64Array.from(y);
  const ones = yy.reduce((s, v) => s + v, 0);
  if (ones === 0 || ones === yy.length) {
    throw new AttributionInputError(
      `every row has outcome ${ones === 0 ? 0 : 1}; logistic regression needs both outcomes`,
    );
  }
  const k = covariates.cols + 1;
  if (yy.length <= k) {
    throw new AttributionInputError(
      `logistic regression with ${k} coefficients needs more than ${k} rows; got ${yy.length}`,
    );
  }
  assertFiniteMatrix(covariates, names, 'logistic regression');
  return yy;
}

/** [1, covariates] as an n x (p + 1) design. */
function withIntercept(covariates: Matrix): Matrix {
  const n = covariates.rows;
  const p = covariates.cols;
  const x = createMatrix(n, p + 1);
  for (let i = 0; i < n; i++) {
    x.data[i * (p + 1)] = 1;
    x.data.set(covariates.data.subarray(i * p, (i + 1) * p), i * (p + 1) + 1);
  }
  return x;
}

interface IrlsState {
  readonly coefficients: Float64Array;
  /** Coefficients one iteration earlier (zeros after a single iteration). */
  readonly previous: Float64Array;
  /** (X'WX)^{-1} with the weights of the final iteration. */
  readonly unscaled: Matrix;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly dev: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** The column that lost all weight when the iterations broke down, else null. */
  readonly brokeDownAt: string | null;
}

/** glm.fit's IRLS loop for the binomial family with logit link, unit prior weights, no offset. */
function irls(
  x: Matrix,
  yy: Float64Array,
  columns: readonly string[],
  tolerance: number,
  maxIterations: number,
): IrlsState {
  const n = x.rows;
  const k = x.cols;
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m0 = (yy[i]! + 0.5) / 2;
    eta[i] = Math.log(m0 / (1 - m0));
    mu[i] = linkInverse(eta[i]!);
  }
  let devOld = deviance(yy, mu);
  let dev = devOld;
  let coefficients: Float64Array = new Float64Array(k);
  let previous: Float64Array = new Float64Array(k);
  let brokeDownAt: string | null = null;
  let unscaled = createMatrix(k, k);
  let converged = false;
  let iterations = 0;
  const xw = createMatrix(n, k);
  const zw = new Float64Array(n);

  for (let iter = 1; iter <= maxIterations; iter++) {
    iterations = iter;
    for (let i = 0; i < n; i++) {
      const d = muEta(eta[i]!);
      const variance = mu[i]! * (1 - mu[i]!);
      const w = Math.sqrt((d * d) / variance);
      zw[i] = (eta[i]! + (yy[i]! - mu[i]!) / d) * w;
      for (let j = 0; j < k; j++) xw.data[i * k + j] = x.data[i * k + j]! * w;
    }
    const qr = qrDecompose(xw, 1e-11);
    if (qr.deficientColumn !== null) {
      // Weights of saturated rows are ~1e-8; a column seen only there carries no information any more.
      brokeDownAt = columns[qr.deficientColumn]!;
      iterations = iter - 1;
      break;
    }
    previous = coefficients;
    coefficients = qrSolve(qr, zw);
    unscaled = qrUnscaledCovariance(qr);
    eta.set(multiplyVector(x, coefficients));
    for (let i = 0; i < n; i++) mu[i] = linkInverse(eta[i]!);
    dev = deviance(yy, mu);
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < tolerance) {
      converged = true;
      break;
    }
    devOld = dev;
  }

  return { coefficients, previous, unscaled, eta, mu, dev, converged, iterations, brokeDownAt };
}

/**
 * Fits P(y = 1) = 1 / (1 + exp(-(b0 + x'b))). `covariates` is n x p without an intercept column;
 * `y` holds 0/1. Throws {@link AttributionInputError} for outcomes other than 0/1, a single outcome
 * value, too few rows, non-finite covariates, or a covariate that is constant or collinear with others
 * (named). Separation never throws: it is reported in `separation` and `warnings`, because the caller
 * decides whether an unstable model is still useful (e.g. a propensity model with poor overlap).
 */
export function fitLogistic(
  covariates: Matrix,
  y: ArrayLike<number>,
  names: readonly string[],
  options: LogisticOptions = {},
): LogisticFit {
  const tolerance = options.tolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 25;
  const yy = validate(covariates, y, names);
  const x = withIntercept(covariates);
  const columns = ['(Intercept)', ...names];
  const n = x.rows;
  const k = x.cols;

  const structural = qrDecompose(x);
  if (structural.deficientColumn !== null) {
    throw new AttributionInputError(
      `the covariate '${columns[structural.deficientColumn]}' is constant or a linear combination of the columns before it; drop it`,
      { column: columns[structural.deficientColumn] },
    );
  }

  const { coefficients, previous, unscaled, eta, mu, dev, converged, iterations, brokeDownAt } = irls(
    x,
    yy,
    columns,
    tolerance,
    maxIterations,
  );
  const se = diagonalSqrt(unscaled);
  const z = coefficients.map((b, j) => b / se[j]!);
  const p = z.map((zj) => 2 * normalCdf(-Math.abs(zj), 0, 1));
  const warnings: string[] = [];
  if (brokeDownAt !== null) {
    warnings.push(
      `the fit stopped after ${iterations} iterations: '${brokeDownAt}' carries no information once fitted probabilities reach 0 or 1`,
    );
  } else if (!converged) {
    warnings.push(`the fit did not converge in ${maxIterations} iterations`);
  }
  const eps10 = 10 * EPS;
  if (mu.some((m) => m > 1 - eps10 || m < eps10))
    warnings.push('fitted probabilities numerically 0 or 1 occurred');
  const lastStep =
    iterations > 1 ? coefficients.map((b, j) => b - previous[j]!).subarray(1) : new Float64Array(k - 1);
  const covariateColumns = names.map((_, j) =>
    Float64Array.from({ length: n }, (_, i) => covariates.data[i * covariates.cols + j]!),
  );
  const separation = detectSeparation(names, covariateColumns, yy, lastStep, dev / n);
  if (separation.detected) {
    warnings.push(
      `${separation.kind} separation${separation.covariates.length ? ` involving ${separation.covariates.map((c) => `'${c}'`).join(', ')}` : ''}: coefficients and standard errors are not meaningful. ${separation.findings.join('; ')}. Drop or combine the covariate, collect more data, or use penalised (Firth) regression`,
    );
  }
  const meanY = yy.reduce((s, v) => s + v, 0) / n;
  return {
    columns,
    coefficients,
    se,
    z,
    p,
    deviance: dev,
    nullDeviance: deviance(yy, meanY),
    aic: dev + 2 * k,
    iterations,
    converged,
    fitted: Float64Array.from(mu),
    linearPredictor: Float64Array.from(eta),
    separation,
    warnings,
  };
}
