import { normalCdf, tCdf } from './distributions.js';
import { logGamma } from './log-gamma.js';
import { StatsInputError } from './stats-input-error.js';

// Above these the series is replaced by a normal approximation, the same switch points R's pt uses:
// df > 4e5, or ncp^2 > 2 ln(2) * 1021 (where exp(-ncp^2/2) would underflow).
const MAX_DF_FOR_SERIES = 4e5;
const MAX_NCP_SQUARED_FOR_SERIES = 2 * Math.LN2 * 1021;
const TERM_TOLERANCE = 1e-17;
const MAX_TERMS = 10000;

/**
 * CDF of the noncentral t distribution, P(T <= t) for T = (Z + ncp) / sqrt(V / df), Z standard normal
 * and V chi-squared with df degrees of freedom; R's `pt(t, df, ncp)`. Used for t-test power.
 *
 * Method: Lenth's (1989, Applied Statistics algorithm AS 243) series for t >= 0,
 *   F = pnorm(-ncp) + 1/2 sum_j [ P_j I_x(j + 1/2, df/2) + Q_j I_x(j + 1, df/2) ],  x = t^2/(t^2 + df),
 * with Poisson weights P_j = e^(-L) L^j / j! and Q_j = e^(-L) L^j ncp / (sqrt(2) Gamma(j + 3/2)),
 * L = ncp^2/2, and the regularized incomplete beta values stepped down by their exact recurrence
 * I_x(a + 1, b) = I_x(a, b) - x^a (1 - x)^b / (a B(a, b)). The starting value I_x(1/2, df/2) is the
 * central t CDF: 2 pt(t, df) - 1. Negative t uses F(t; df, ncp) = 1 - F(-t; df, -ncp). Summation stops
 * once past the Poisson mode the remaining weights, bounded by a geometric series, are below 1e-17.
 * For df > 4e5 or |ncp| > 37.62 the normal approximation of Abramowitz and Stegun 26.7.10 is used, as
 * in R: pnorm((t (1 - s) - ncp) / sqrt(1 + 2 s t^2)), s = 1/(4 df).
 *
 * Accuracy is absolute (about 1e-14): an upper tail computed as 1 - F is not accurate below that.
 *
 * @throws StatsInputError when df is not positive or an argument is not finite.
 */
export function noncentralTCdf(t: number, df: number, ncp: number): number {
  if (!Number.isFinite(t) || !Number.isFinite(ncp) || !(df > 0) || !Number.isFinite(df)) {
    throw new StatsInputError(
      'df',
      `noncentralTCdf needs finite t and ncp and df > 0 (t=${t}, df=${df}, ncp=${ncp}).`,
    );
  }
  if (ncp === 0) return tCdf(t, df);
  if (df > MAX_DF_FOR_SERIES || ncp * ncp > MAX_NCP_SQUARED_FOR_SERIES) {
    const s = 1 / (4 * df);
    return normalCdf((t * (1 - s) - ncp) / Math.sqrt(1 + t * t * 2 * s));
  }
  if (t >= 0) return seriesForNonNegative(t, df, ncp);
  return 1 - seriesForNonNegative(-t, df, -ncp);
}

/** Upper tail P(T > t) = 1 - {@link noncentralTCdf}. */
export function noncentralTUpper(t: number, df: number, ncp: number): number {
  return 1 - noncentralTCdf(t, df, ncp);
}

function seriesForNonNegative(t: number, df: number, ncp: number): number {
  const base = normalCdf(-ncp);
  if (t === 0) return base;
  const x = (t * t) / (t * t + df);
  const oneMinusX = df / (t * t + df);
  const b = df / 2;
  const lambda = (ncp * ncp) / 2;
  const powOneMinusX = Math.pow(oneMinusX, b);

  // Half weights: the 1/2 in front of the sum is folded in.
  let p = 0.5 * Math.exp(-lambda);
  let q = Math.sqrt(2 / Math.PI) * p * ncp;
  // I_x(1/2, b) and I_x(1, b), and the recurrence decrements g(1/2) and g(1).
  let iOdd = 2 * tCdf(t, df) - 1;
  let iEven = -Math.expm1(b * Math.log(oneMinusX));
  let gOdd = Math.exp(
    logGamma(b + 0.5) - logGamma(b) - logGamma(1.5) + 0.5 * Math.log(x) + b * Math.log(oneMinusX),
  );
  let gEven = b * x * powOneMinusX;
  let sum = p * iOdd + q * iEven;
  for (let j = 1; j <= MAX_TERMS; j += 1) {
    const a = j - 0.5; // iOdd currently holds I_x(a, b)
    iOdd -= gOdd;
    iEven -= gEven;
    gOdd *= (x * (a + b)) / (a + 1);
    gEven *= (x * (a + 0.5 + b)) / (a + 1.5);
    p *= lambda / j;
    q *= lambda / (j + 0.5);
    sum += p * Math.max(iOdd, 0) + q * Math.max(iEven, 0);
    const ratio = lambda / (j + 0.5);
    if (j > lambda && ratio < 1) {
      const tailBound = ((Math.abs(p) + Math.abs(q)) * ratio) / (1 - ratio);
      if (tailBound * Math.max(iOdd, 0) < TERM_TOLERANCE) break;
    }
  }
  return Math.min(base + sum, 1);
}
