import {
  bcaInterval,
  percentileInterval,
  type BcaInterval,
  type BootstrapInterval,
  type InfluenceCentre,
} from './bootstrap-intervals.js';
import { assertConfidence, assertCount, assertFiniteSample, type NumericSample } from './input-checks.js';
import { Xoshiro128StarStar } from './prng.js';
import { StatsInputError } from './stats-input-error.js';

/**
 * A statistic of a sample. The bootstrap calls it with a scratch buffer that it reuses for every
 * resample: the function may reorder the buffer in place (e.g. sort it for a median) but must not keep
 * a reference to it.
 */
export type Statistic = (sample: Float64Array) => number;

/** Options for {@link bootstrap}. */
export interface BootstrapOptions {
  /** Number of resamples R, default 2000. At least 2; 1,000+ recommended for BCa. */
  resamples?: number;
  /** Seed for xoshiro128** (via SplitMix64); the same seed reproduces the same replicates. */
  seed: number | bigint;
  /** Two-sided level, default 0.95. */
  confidence?: number;
  /** Jackknife centring for the BCa acceleration, default `boot` (see InfluenceCentre). */
  influence?: InfluenceCentre;
}

/** Result of a nonparametric bootstrap. */
export interface BootstrapResult {
  estimate: number;
  /** Replicates in resample order (finite and non-finite). */
  replicates: Float64Array;
  /** Replicates that were not finite (dropped from the intervals, as boot does). */
  nonFinite: number;
  /** Leave-one-out estimates theta_(-i). */
  jackknife: Float64Array;
  percentile: BootstrapInterval;
  /** BCa interval, or null with `bcaUnavailable` saying why (e.g. all replicates equal). */
  bca: BcaInterval | null;
  bcaUnavailable: string | null;
}

/**
 * Ordinary nonparametric bootstrap (Efron 1979; R's `boot(data, statistic, R)` with `sim = "ordinary"`):
 * draws `resamples` samples of size n with replacement, applies `statistic` to each, and reports the
 * percentile and BCa intervals of `boot.ci`. The BCa acceleration uses the jackknife (n extra
 * evaluations of the statistic on n - 1 values).
 *
 * Memory: one scratch buffer of n values for all resamples plus R replicate values; no per-resample
 * allocation. Assumes independent observations; clustered data need a cluster bootstrap instead.
 *
 * @param data observations (at least 2, finite).
 * @throws StatsInputError for invalid data, resample count, seed or level.
 */
export function bootstrap(
  data: NumericSample,
  statistic: Statistic,
  options: BootstrapOptions,
): BootstrapResult {
  assertFiniteSample(data, 'data', 2);
  const resamples = options.resamples ?? 2000;
  assertCount(resamples, 'resamples', 2);
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence);
  const n = data.length;
  const source = Float64Array.from(data);
  const estimate = statistic(Float64Array.from(source));
  const rng = Xoshiro128StarStar.fromSeed(options.seed);
  const scratch = new Float64Array(n);
  const replicates = new Float64Array(resamples);
  let nonFinite = 0;
  for (let r = 0; r < resamples; r += 1) {
    for (let i = 0; i < n; i += 1) scratch[i] = source[rng.nextInt(n)]!;
    const value = statistic(scratch);
    replicates[r] = value;
    if (!Number.isFinite(value)) nonFinite += 1;
  }
  const jack = jackknife(source, statistic);
  const percentile = percentileInterval(replicates, confidence);
  let bca: BcaInterval | null = null;
  let bcaUnavailable: string | null = null;
  try {
    bca = bcaInterval(replicates, estimate, jack, confidence, options.influence ?? 'boot');
  } catch (error) {
    if (!(error instanceof StatsInputError)) throw error;
    bcaUnavailable = error.message;
  }
  return { estimate, replicates, nonFinite, jackknife: jack, percentile, bca, bcaUnavailable };
}

/**
 * Leave-one-out (jackknife) estimates: element i is the statistic of the sample without observation i.
 * Uses one scratch buffer of n - 1 values.
 *
 * @throws StatsInputError for fewer than 2 observations or non-finite values.
 */
export function jackknife(data: NumericSample, statistic: Statistic): Float64Array {
  assertFiniteSample(data, 'data', 2);
  const n = data.length;
  const scratch = new Float64Array(n - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    // Refilled for every i so that a statistic may sort its buffer in place.
    let j = 0;
    for (let k = 0; k < n; k += 1) if (k !== i) scratch[j++] = data[k]!;
    out[i] = statistic(scratch);
  }
  return out;
}
