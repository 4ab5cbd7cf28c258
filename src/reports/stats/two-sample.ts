import { normalCdf, normalQuantile, tQuantile, tTwoSidedP } from './distributions.js';
import { assertConfidence, assertFiniteSample, type NumericSample } from './input-checks.js';
import { meanUnchecked, varianceUnchecked } from './moments.js';
import { StatsInputError } from './stats-input-error.js';
import { wilsonInterval } from './wilson.js';

/** Difference in means, treatment minus control, in the outcome's units. */
export interface MeanDifference {
  method: 'welch' | 'pooled';
  /** mean(x) - mean(y). */
  estimate: number;
  meanX: number;
  meanY: number;
  nX: number;
  nY: number;
  /** Standard error of the difference. */
  se: number;
  /** Degrees of freedom: Welch-Satterthwaite (not an integer in general) or nX + nY - 2. */
  df: number;
  t: number;
  /** Two-sided p-value for H0: equal means. */
  p: number;
  lower: number;
  upper: number;
  confidence: number;
}

/** Options for {@link meanDifference}. */
export interface MeanDifferenceOptions {
  /** Two-sided level, default 0.95. */
  confidence?: number;
  /** Assume equal variances (pooled Student t, R's `var.equal = TRUE`). Default false: Welch. */
  equalVariances?: boolean;
}

/**
 * Randomized comparison of a continuous outcome: mean(x) - mean(y) with a t interval and two-sided
 * p-value, as R's `t.test(x, y, var.equal = equalVariances, conf.level = confidence)`.
 *
 * Welch (the default, and R's) does not assume equal variances; its df is the Welch-Satterthwaite value
 * (sX^2/nX + sY^2/nY)^2 / ((sX^2/nX)^2/(nX-1) + (sY^2/nY)^2/(nY-1)). The pooled version uses
 * sp^2 = ((nX-1)sX^2 + (nY-1)sY^2)/(nX+nY-2) and df = nX + nY - 2; prefer it only when the design
 * guarantees similar spread. Causal reading requires random assignment of x (treatment) and y (control).
 *
 * @param x treatment outcomes; at least 2 values for Welch (1 is allowed for pooled if y has 2+).
 * @param y control outcomes.
 * @throws StatsInputError for too few values, non-finite values, or zero variance in both groups.
 */
export function meanDifference(
  x: NumericSample,
  y: NumericSample,
  options: MeanDifferenceOptions = {},
): MeanDifference {
  const confidence = options.confidence ?? 0.95;
  const pooled = options.equalVariances ?? false;
  assertConfidence(confidence);
  assertFiniteSample(x, 'x', pooled ? 1 : 2);
  assertFiniteSample(y, 'y', pooled ? 1 : 2);
  const nX = x.length;
  const nY = y.length;
  if (pooled && nX + nY < 3) {
    throw new StatsInputError('y', 'a pooled t interval needs at least 3 values in total across x and y.');
  }
  const meanX = meanUnchecked(x);
  const meanY = meanUnchecked(y);
  const vX = nX > 1 ? varianceUnchecked(x, meanX) : 0;
  const vY = nY > 1 ? varianceUnchecked(y, meanY) : 0;
  let se: number;
  let df: number;
  if (pooled) {
    df = nX + nY - 2;
    const sp2 = ((nX - 1) * vX + (nY - 1) * vY) / df;
    se = Math.sqrt(sp2 * (1 / nX + 1 / nY));
  } else {
    const aX = vX / nX;
    const aY = vY / nY;
    se = Math.sqrt(aX + aY);
    df = (aX + aY) ** 2 / ((aX * aX) / (nX - 1) + (aY * aY) / (nY - 1));
  }
  const estimate = meanX - meanY;
  if (se === 0 || se < 10 * Number.EPSILON * Math.max(Math.abs(meanX), Math.abs(meanY))) {
    throw new StatsInputError(
      'x',
      'both groups are constant, so there is no variation to build an interval from; check the outcome data.',
    );
  }
  const t = estimate / se;
  const q = tQuantile(1 - (1 - confidence) / 2, df);
  return {
    method: pooled ? 'pooled' : 'welch',
    estimate,
    meanX,
    meanY,
    nX,
    nY,
    se,
    df,
    t,
    p: tTwoSidedP(t, df),
    lower: estimate - q * se,
    upper: estimate + q * se,
    confidence,
  };
}

/** Difference of two proportions pX - pY (treatment minus control), as a proportion (0.05 = 5 points). */
export interface ProportionDifference {
  method: 'wald' | 'newcombe';
  estimate: number;
  pX: number;
  pY: number;
  /**
   * Two-sided p-value of the pooled score (z) test of equal proportions; equals R's
   * `prop.test(c(xX, xY), c(nX, nY), correct = FALSE)$p.value` (its chi-squared statistic is z^2).
   * When both groups are all-success or all-failure the test has no information; R returns NaN, this
   * returns 1.
   */
  p: number;
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * Difference in proportions for a binary outcome in a randomized comparison.
 *
 * - `wald`: pX - pY -/+ z sqrt(pX(1-pX)/nX + pY(1-pY)/nY), the interval of R's
 *   `prop.test(c(xX, xY), c(nX, nY), correct = FALSE)`. Simple, but too narrow for small groups or
 *   proportions near 0 or 1, and degenerate (zero width) when both groups are 0/n or n/n.
 * - `newcombe` (default): Newcombe's (1998, method 10) hybrid score interval built from the two Wilson
 *   intervals (lX, uX), (lY, uY): lower = d - sqrt((pX-lX)^2 + (uY-pY)^2),
 *   upper = d + sqrt((uX-pX)^2 + (pY-lY)^2). Keeps good coverage for small samples and 0/n cases.
 *
 * @throws StatsInputError for invalid counts (see {@link wilsonInterval}).
 */
export function proportionDifference(
  successesX: number,
  trialsX: number,
  successesY: number,
  trialsY: number,
  options: { confidence?: number; method?: 'wald' | 'newcombe' } = {},
): ProportionDifference {
  const confidence = options.confidence ?? 0.95;
  const method = options.method ?? 'newcombe';
  const wx = wilsonInterval(successesX, trialsX, confidence);
  const wy = wilsonInterval(successesY, trialsY, confidence);
  const pX = wx.estimate;
  const pY = wy.estimate;
  const d = pX - pY;
  const pooled = (successesX + successesY) / (trialsX + trialsY);
  const seNull = Math.sqrt(pooled * (1 - pooled) * (1 / trialsX + 1 / trialsY));
  // With no variation at all (everyone or no one succeeded in both groups) the test has no evidence.
  const p = seNull === 0 ? 1 : 2 * normalCdf(-Math.abs(d / seNull));
  let lower: number;
  let upper: number;
  if (method === 'wald') {
    const z = normalQuantile((1 + confidence) / 2);
    const se = Math.sqrt((pX * (1 - pX)) / trialsX + (pY * (1 - pY)) / trialsY);
    lower = Math.max(d - z * se, -1);
    upper = Math.min(d + z * se, 1);
  } else {
    lower = d - Math.sqrt((pX - wx.lower) ** 2 + (wy.upper - pY) ** 2);
    upper = d + Math.sqrt((wx.upper - pX) ** 2 + (pY - wy.lower) ** 2);
  }
  return { method, estimate: d, pX, pY, p, lower, upper, confidence };
}
