import { normalCdf, normalQuantile, tQuantile } from './distributions.js';
import { assertCount, assertFinite, assertOpenProbability } from './input-checks.js';
import { noncentralTCdf, noncentralTUpper } from './noncentral-t.js';
import { brentRoot } from './root-find.js';
import { StatsInputError } from './stats-input-error.js';

/**
 * Which rejection regions count towards two-sided power.
 * - `both` (default): both tails, as `pwr.t.test` and `power.t.test(strict = TRUE)`.
 * - `upper`: only the tail in the direction of the effect, as `power.t.test` with its default
 *   `strict = FALSE`. Differs from `both` only when the effect is tiny.
 */
export type PowerTails = 'both' | 'upper';

/** Common settings; `sigLevel` is the two-sided significance level alpha (default 0.05). */
export interface PowerSettings {
  sigLevel?: number;
  tails?: PowerTails;
}

/** A solved two-sample design. `d` is Cohen's d (difference in means / common SD). */
export interface TTestDesign {
  /** Learners per group (equal groups); fractional when solved, see `nPerGroupRounded`. */
  nPerGroup: number;
  /** nPerGroup rounded up: the number to recruit. */
  nPerGroupRounded: number;
  d: number;
  power: number;
  sigLevel: number;
}

/**
 * Power of the two-sided two-sample t test with n per group and standardized effect d:
 * df = 2(n - 1), ncp = d sqrt(n/2), q = qt(1 - alpha/2, df),
 * power = P(T' > q) + P(T' < -q) for T' noncentral t(df, ncp) (`pwr.t.test(n, d, sig.level)`);
 * with `tails: 'upper'` only the first term (`power.t.test(n, delta = d, sd = 1)`).
 *
 * @param nPerGroup learners per group, at least 2 (may be fractional while solving).
 * @param d Cohen's d; the sign is ignored (two-sided).
 */
export function tTestPower(nPerGroup: number, d: number, settings: PowerSettings = {}): number {
  const alpha = settings.sigLevel ?? 0.05;
  assertOpenProbability(alpha, 'sigLevel');
  assertFinite(d, 'd');
  if (!(nPerGroup >= 2) || !Number.isFinite(nPerGroup)) {
    throw new StatsInputError('nPerGroup', `nPerGroup must be at least 2, got ${nPerGroup}.`);
  }
  const effect = Math.abs(d);
  const df = 2 * (nPerGroup - 1);
  const ncp = Math.sqrt(nPerGroup / 2) * effect;
  const q = tQuantile(1 - alpha / 2, df);
  const upper = noncentralTUpper(q, df, ncp);
  return settings.tails === 'upper' ? upper : upper + noncentralTCdf(-q, df, ncp);
}

/**
 * Learners per group needed to detect effect `d` with the given power (two-sided, equal groups); solves
 * {@link tTestPower} for n by Brent's method on [2, 1e9].
 *
 * @throws StatsInputError for d = 0, power outside (0, 1), or a target below the power at n = 2.
 */
export function tTestSampleSize(d: number, power = 0.8, settings: PowerSettings = {}): TTestDesign {
  assertOpenProbability(power, 'power');
  assertFinite(d, 'd');
  if (d === 0) throw new StatsInputError('d', 'an effect of 0 cannot be detected with any sample size.');
  const alpha = settings.sigLevel ?? 0.05;
  const atMinimum = tTestPower(2, d, settings);
  if (atMinimum >= power) {
    throw new StatsInputError(
      'd',
      `an effect of d = ${d} already has power ${atMinimum.toFixed(3)} with 2 per group; no solve is needed.`,
    );
  }
  const n = brentRoot((m) => tTestPower(m, d, settings) - power, 2, 1e9);
  return { nPerGroup: n, nPerGroupRounded: Math.ceil(n - 1e-9), d: Math.abs(d), power, sigLevel: alpha };
}

/**
 * Minimum detectable effect (Cohen's d) with n per group at the given power; solves {@link tTestPower}
 * for d on [1e-7, 10] like `pwr.t.test(n = n, power = power)`. Multiply by the outcome SD for raw units.
 */
export function tTestMinimumDetectableEffect(
  nPerGroup: number,
  power = 0.8,
  settings: PowerSettings = {},
): TTestDesign {
  assertOpenProbability(power, 'power');
  const alpha = settings.sigLevel ?? 0.05;
  const d = brentRoot((e) => tTestPower(nPerGroup, e, settings) - power, 1e-7, 10);
  return { nPerGroup, nPerGroupRounded: Math.ceil(nPerGroup - 1e-9), d, power, sigLevel: alpha };
}

/** Cohen's h for two proportions: 2 asin(sqrt(p1)) - 2 asin(sqrt(p2)) (pwr's `ES.h`). */
export function cohenH(p1: number, p2: number): number {
  for (const [name, v] of [
    ['p1', p1],
    ['p2', p2],
  ] as const) {
    if (!(v >= 0 && v <= 1))
      throw new StatsInputError(name, `${name} must be a proportion in [0, 1], got ${v}.`);
  }
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

/**
 * Power of the two-sided test of two proportions with n per group and effect h (arcsine scale), as
 * `pwr.2p.test(h, n, sig.level)`: with z = qnorm(1 - alpha/2) and s = h sqrt(n/2),
 * power = (1 - pnorm(z - s)) + pnorm(-z - s) (normal approximation).
 */
export function twoProportionPower(
  h: number,
  nPerGroup: number,
  settings: { sigLevel?: number } = {},
): number {
  const alpha = settings.sigLevel ?? 0.05;
  assertOpenProbability(alpha, 'sigLevel');
  assertFinite(h, 'h');
  if (!(nPerGroup > 0) || !Number.isFinite(nPerGroup)) {
    throw new StatsInputError('nPerGroup', `nPerGroup must be positive, got ${nPerGroup}.`);
  }
  const shift = Math.abs(h) * Math.sqrt(nPerGroup / 2);
  const z = normalQuantile(1 - alpha / 2);
  return normalCdf(-(z - shift)) + normalCdf(-z - shift);
}

/** Learners per group for two proportions (solves {@link twoProportionPower} for n on [2, 1e9]). */
export function twoProportionSampleSize(
  h: number,
  power = 0.8,
  settings: { sigLevel?: number } = {},
): { nPerGroup: number; nPerGroupRounded: number; h: number; power: number; sigLevel: number } {
  assertOpenProbability(power, 'power');
  assertFinite(h, 'h');
  if (h === 0)
    throw new StatsInputError('h', 'equal proportions (h = 0) cannot be told apart with any sample size.');
  const n = brentRoot((m) => twoProportionPower(h, m, settings) - power, 2, 1e9);
  return {
    nPerGroup: n,
    nPerGroupRounded: Math.ceil(n - 1e-9),
    h: Math.abs(h),
    power,
    sigLevel: settings.sigLevel ?? 0.05,
  };
}

/** Minimum detectable h with n per group (solves {@link twoProportionPower} for h on [1e-10, 10]). */
export function twoProportionMinimumDetectableEffect(
  nPerGroup: number,
  power = 0.8,
  settings: { sigLevel?: number } = {},
): number {
  assertOpenProbability(power, 'power');
  return brentRoot((h) => twoProportionPower(h, nPerGroup, settings) - power, 1e-10, 10);
}

/**
 * Design effect of cluster sampling (Kish 1965): DEFF = 1 + (m - 1) ICC, where m is the (average)
 * cluster size, e.g. learners per team or site, and ICC the intraclass correlation of the outcome.
 * A clustered sample of N learners carries the information of N / DEFF independent learners.
 *
 * @throws StatsInputError for m < 1 or ICC outside [0, 1].
 */
export function designEffect(clusterSize: number, icc: number): number {
  if (!(clusterSize >= 1) || !Number.isFinite(clusterSize)) {
    throw new StatsInputError('clusterSize', `clusterSize must be at least 1, got ${clusterSize}.`);
  }
  if (!(icc >= 0 && icc <= 1)) throw new StatsInputError('icc', `icc must be in [0, 1], got ${icc}.`);
  return 1 + (clusterSize - 1) * icc;
}

/** A clustered (group-randomized) design sized from the individual-level answer. */
export interface ClusteredDesign {
  designEffect: number;
  /** Learners per arm an individually randomized trial would need. */
  individualNPerGroup: number;
  /** Learners per arm after inflating by the design effect: individual n x DEFF. */
  nPerGroup: number;
  /** Clusters per arm: ceil(nPerGroup / clusterSize). */
  clustersPerGroup: number;
}

/**
 * Sample size for a cluster-randomized two-arm t-test comparison: the individual n from
 * {@link tTestSampleSize}, multiplied by {@link designEffect}, and divided into clusters of size m.
 * This is the standard first-order approximation (Donner and Klar 2000); with few clusters per arm
 * (below about 15) it is optimistic because the analysis has only 2(k - 1) cluster-level df.
 */
export function clusteredSampleSize(
  d: number,
  clusterSize: number,
  icc: number,
  power = 0.8,
  settings: PowerSettings = {},
): ClusteredDesign {
  const deff = designEffect(clusterSize, icc);
  const individual = tTestSampleSize(d, power, settings).nPerGroup;
  const n = individual * deff;
  return {
    designEffect: deff,
    individualNPerGroup: individual,
    nPerGroup: n,
    clustersPerGroup: Math.ceil(n / clusterSize - 1e-9),
  };
}

/**
 * Minimum detectable effect (Cohen's d) for k clusters of size m per arm: the individual-level MDE at the
 * effective sample size k m / DEFF. Same approximation and caveat as {@link clusteredSampleSize}.
 *
 * @throws StatsInputError when the effective sample size per arm is below 2.
 */
export function clusteredMinimumDetectableEffect(
  clustersPerGroup: number,
  clusterSize: number,
  icc: number,
  power = 0.8,
  settings: PowerSettings = {},
): { designEffect: number; effectiveNPerGroup: number; d: number } {
  assertCount(clustersPerGroup, 'clustersPerGroup', 1);
  const deff = designEffect(clusterSize, icc);
  const effective = (clustersPerGroup * clusterSize) / deff;
  if (effective < 2) {
    throw new StatsInputError(
      'clustersPerGroup',
      `the design has only ${effective.toFixed(2)} effective learners per arm; add clusters.`,
    );
  }
  return {
    designEffect: deff,
    effectiveNPerGroup: effective,
    d: tTestMinimumDetectableEffect(effective, power, settings).d,
  };
}
