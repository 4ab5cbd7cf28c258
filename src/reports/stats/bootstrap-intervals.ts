import { normalCdf, normalQuantile } from './distributions.js';
import { assertConfidence, assertFinite, assertFiniteSample, type NumericSample } from './input-checks.js';
import { StatsInputError } from './stats-input-error.js';

/** A bootstrap confidence interval in the units of the statistic. */
export interface BootstrapInterval {
  lower: number;
  upper: number;
  confidence: number;
  /**
   * The order-statistic positions (R + 1) * alpha used for each end, rounded to 2 decimals as boot
   * prints them. A position below 1 or above R means the end is the sample minimum or maximum: too few
   * replicates for this confidence level.
   */
  positions: [number, number];
}

/** Relative distance under which a replicate counts as equal to the estimate (see bcaInterval). */
export const TIE_TOLERANCE = 1e-9;

/** BCa interval plus its two adjustments. */
export interface BcaInterval extends BootstrapInterval {
  /** Bias correction w (z0): qnorm of the share of replicates below the estimate (ties within TIE_TOLERANCE excluded). */
  biasCorrection: number;
  /** Acceleration a = sum(L^3) / (6 (sum(L^2))^1.5) from the influence values L. */
  acceleration: number;
}

/**
 * How jackknife values become influence values L for the acceleration.
 * - `boot` (default): L_i = (n - 1)(estimate - theta_(-i)), the "usual jackknife" of R's
 *   `empinf(type = "jack")`, so results equal `boot.ci(..., L = empinf(b, type = "jack"))`.
 * - `efron`: L_i = (n - 1)(mean(theta_(-.)) - theta_(-i)), Efron and Tibshirani (1993) eq. 14.15.
 * Both agree for linear statistics such as the mean.
 */
export type InfluenceCentre = 'boot' | 'efron';

/**
 * Interpolated order statistic of boot's `norm.inter`: with R finite replicates sorted ascending and
 * r = (R + 1) alpha, k = trunc(r): if r is a whole number the answer is t(k); if k = 0 or k = R it is
 * the minimum or maximum; otherwise t(k) + (qnorm(alpha) - qnorm(k/(R+1))) /
 * (qnorm((k+1)/(R+1)) - qnorm(k/(R+1))) * (t(k+1) - t(k)), i.e. linear interpolation on the normal
 * quantile scale (Davison and Hinkley 1997, eq. 5.8).
 *
 * @param sorted finite replicates, ascending.
 * @param alpha tail probability in (0, 1).
 */
export function normInter(sorted: ArrayLike<number>, alpha: number): number {
  const count = sorted.length;
  const rk = (count + 1) * alpha;
  const k = Math.trunc(rk);
  if (k === rk && k >= 1 && k <= count) return sorted[k - 1]!;
  if (k <= 0) return sorted[0]!;
  if (k >= count) return sorted[count - 1]!;
  const zAlpha = normalQuantile(alpha);
  const zK = normalQuantile(k / (count + 1));
  const zK1 = normalQuantile((k + 1) / (count + 1));
  const tk = sorted[k - 1]!;
  const tk1 = sorted[k]!;
  return tk + ((zAlpha - zK) / (zK1 - zK)) * (tk1 - tk);
}

/**
 * Percentile bootstrap interval, as `boot.ci(type = "perc")`: the {@link normInter} order statistics at
 * alpha = (1 -/+ confidence) / 2. Non-finite replicates are dropped first, as boot does.
 *
 * @param replicates bootstrap replicates of the statistic (any order; not modified).
 * @throws StatsInputError when fewer than 2 finite replicates remain or the level is invalid.
 */
export function percentileInterval(replicates: NumericSample, confidence = 0.95): BootstrapInterval {
  assertConfidence(confidence);
  const sorted = sortedFinite(replicates);
  const alphas = tailProbabilities(confidence);
  return intervalAt(sorted, alphas, confidence);
}

/**
 * Bias-corrected and accelerated (BCa) bootstrap interval, as `boot.ci(type = "bca")` (Efron 1987;
 * Davison and Hinkley 1997, section 5.3.2):
 *
 *   w = qnorm(#{t* < estimate} / R),  a = sum(L^3) / (6 (sum L^2)^1.5),
 *   alpha' = pnorm(w + (w + z_alpha) / (1 - a (w + z_alpha)))  for alpha = (1 -/+ confidence)/2,
 *
 * then the {@link normInter} order statistics at alpha'. L are jackknife influence values computed from
 * the leave-one-out estimates (see {@link InfluenceCentre}).
 *
 * @param replicates bootstrap replicates of the statistic.
 * @param estimate the statistic on the original sample.
 * @param jackknifeValues leave-one-out estimates theta_(-i), one per observation.
 * @throws StatsInputError when every replicate lies on one side of the estimate (w infinite; the
 *   statistic barely varies or the estimate is extreme), when the jackknife values are all equal
 *   (a undefined), or for non-finite input.
 */
export function bcaInterval(
  replicates: NumericSample,
  estimate: number,
  jackknifeValues: NumericSample,
  confidence = 0.95,
  centre: InfluenceCentre = 'boot',
): BcaInterval {
  assertConfidence(confidence);
  assertFinite(estimate, 'estimate');
  const sorted = sortedFinite(replicates);
  // A replicate that equals the estimate in exact arithmetic is a tie, not "below", even when
  // floating-point summation in another order leaves it a few ulps under: discrete data (money in
  // cents, days in hundredths) makes such ties common, and counting them by rounding noise moves the
  // interval by whole order statistics.
  const cutoff = estimate - TIE_TOLERANCE * Math.max(1, Math.abs(estimate));
  let below = 0;
  while (below < sorted.length && sorted[below]! < cutoff) below += 1;
  const w = normalQuantile(below / sorted.length);
  if (!Number.isFinite(w)) {
    throw new StatsInputError(
      'replicates',
      `all ${sorted.length} bootstrap replicates lie ${below === 0 ? 'at or above' : 'below'} the estimate, ` +
        'so the BCa bias correction is infinite; use the percentile interval or more data.',
    );
  }
  const a = acceleration(jackknifeInfluence(jackknifeValues, estimate, centre));
  const adjusted = tailProbabilities(confidence).map((alpha) => {
    const z = w + normalQuantile(alpha);
    return normalCdf(w + z / (1 - a * z));
  }) as [number, number];
  return { ...intervalAt(sorted, adjusted, confidence), biasCorrection: w, acceleration: a };
}

/**
 * Jackknife influence values L_i from leave-one-out estimates; see {@link InfluenceCentre}.
 *
 * @throws StatsInputError for fewer than 2 values or non-finite values.
 */
export function jackknifeInfluence(
  jackknifeValues: NumericSample,
  estimate: number,
  centre: InfluenceCentre = 'boot',
): Float64Array {
  assertFiniteSample(jackknifeValues, 'jackknifeValues', 2);
  const n = jackknifeValues.length;
  let reference = estimate;
  if (centre === 'efron') {
    reference = 0;
    for (let i = 0; i < n; i += 1) reference += jackknifeValues[i]!;
    reference /= n;
  }
  const influence = new Float64Array(n);
  for (let i = 0; i < n; i += 1) influence[i] = (n - 1) * (reference - jackknifeValues[i]!);
  return influence;
}

/**
 * Acceleration constant a = sum(L^3) / (6 (sum L^2)^(3/2)) from influence values L.
 *
 * @throws StatsInputError when all influence values are zero.
 */
export function acceleration(influence: NumericSample): number {
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < influence.length; i += 1) {
    const l = influence[i]!;
    s2 += l * l;
    s3 += l * l * l;
  }
  const a = s3 / (6 * s2 ** 1.5);
  if (!Number.isFinite(a)) {
    throw new StatsInputError(
      'jackknifeValues',
      'every leave-one-out estimate is the same, so the BCa acceleration is undefined; use the percentile interval.',
    );
  }
  return a;
}

/** (1 - confidence)/2 and (1 + confidence)/2, computed exactly as boot.ci does (same rounding). */
function tailProbabilities(confidence: number): [number, number] {
  return [(1 + -confidence) / 2, (1 + confidence) / 2];
}

function intervalAt(
  sorted: Float64Array,
  alphas: readonly [number, number],
  confidence: number,
): BootstrapInterval {
  // toFixed rounds the exact binary value, as R's round(x, 2) does (1950.975 is stored just below).
  const position = (alpha: number): number => Number(((sorted.length + 1) * alpha).toFixed(2));
  return {
    lower: normInter(sorted, alphas[0]),
    upper: normInter(sorted, alphas[1]),
    confidence,
    positions: [position(alphas[0]), position(alphas[1])],
  };
}

function sortedFinite(replicates: NumericSample): Float64Array {
  let finite = 0;
  for (let i = 0; i < replicates.length; i += 1) if (Number.isFinite(replicates[i])) finite += 1;
  if (finite < 2) {
    throw new StatsInputError('replicates', `need at least 2 finite bootstrap replicates, got ${finite}.`);
  }
  const out = new Float64Array(finite);
  let j = 0;
  for (let i = 0; i < replicates.length; i += 1) {
    const v = replicates[i]!;
    if (Number.isFinite(v)) out[j++] = v;
  }
  return out.sort();
}
