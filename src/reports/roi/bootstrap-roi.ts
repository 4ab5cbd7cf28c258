import {
  bcaInterval,
  percentileInterval,
  type BcaInterval,
  type BootstrapInterval,
} from '../stats/bootstrap-intervals.js';
import { assertConfidence, assertCount, assertFiniteSample } from '../stats/input-checks.js';
import { Xoshiro128StarStar } from '../stats/prng.js';
import { StatsInputError } from '../stats/stats-input-error.js';
import { toNumber, toRational, type DecimalInput } from './exact.js';

/** Inputs of the participant bootstrap of ROI. Money in one currency. */
export interface BootstrapRoiInput {
  /** Monetized benefit of each sampled participant (e.g. from payroll or claims deltas), one per person. */
  benefitPerParticipant: ArrayLike<number>;
  /**
   * Cost that does not vary by participant: the fully loaded total from cost-model.ts, or its fixed
   * part when `costPerParticipant` carries the variable part.
   */
  fixedCost: DecimalInput;
  /** Optional variable cost of each sampled participant (same order), resampled with the benefit. */
  costPerParticipant?: ArrayLike<number>;
  /** Participants the program covers; totals are participants x sample means. Default: sample size. */
  participants?: number;
  /** Resamples R, default 2000. */
  resamples?: number;
  seed: number | bigint;
  /** Two-sided level, default 0.95. */
  confidence?: number;
  /** Interval whose lower end is the conservative ROI, default `bca` (falls back to percentile). */
  conservativeFrom?: 'bca' | 'percentile';
}

/** ROI with its bootstrap uncertainty. ROI values are ratios: 2 means 200%. */
export interface BootstrapRoiResult {
  /** Point estimate (ratio) on the full sample. */
  roi: number;
  percentile: BootstrapInterval;
  bca: BcaInterval | null;
  bcaUnavailable: string | null;
  /**
   * Lower end of the chosen two-sided interval: the ROI to quote under Phillips' conservative standard
   * ("when in doubt, report the lower value"). A one-sided bound at the same level would be slightly higher.
   */
  conservativeRoi: number;
  conservativeFrom: 'bca' | 'percentile';
  /** Replicates of the ROI ratio in resample order. */
  replicates: Float64Array;
}

/**
 * Nonparametric bootstrap of program ROI over participants. Each resample draws n participants with
 * replacement (xoshiro128**, seeded) and computes
 *
 *   ROI* = (N mean(b*) - C*) / C*,   C* = fixed cost + N mean(c*)   (C* = fixed cost without c)
 *
 * where N is the number of participants the program covers. Percentile and BCa intervals follow
 * `boot.ci`; the BCa acceleration uses the exact leave-one-out ROI values (O(n), from running sums).
 * The interval reflects sampling variation among participants only, not uncertainty in the
 * monetization assumptions (see sensitivity.ts for those).
 *
 * Cost: R x n draws and additions, no allocation per resample; 2,000 x 10,000 runs in well under a
 * second on one core.
 *
 * @throws StatsInputError for fewer than 2 participants, non-finite values, unequal lengths, a
 *   non-positive cost, or a resample count below 2.
 */
export function bootstrapRoi(input: BootstrapRoiInput): BootstrapRoiResult {
  const b = Float64Array.from(input.benefitPerParticipant);
  assertFiniteSample(b, 'benefitPerParticipant', 2);
  const n = b.length;
  const c = input.costPerParticipant ? Float64Array.from(input.costPerParticipant) : null;
  if (c) {
    assertFiniteSample(c, 'costPerParticipant', 2);
    if (c.length !== n) {
      throw new StatsInputError(
        'costPerParticipant',
        `costPerParticipant has ${c.length} values but there are ${n} benefits.`,
      );
    }
  }
  const fixed = toNumber(toRational(input.fixedCost, 'fixedCost'));
  const participants = input.participants ?? n;
  assertCount(participants, 'participants', 1);
  const resamples = input.resamples ?? 2000;
  assertCount(resamples, 'resamples', 2);
  const confidence = input.confidence ?? 0.95;
  assertConfidence(confidence);

  const roiOf = (meanBenefit: number, meanCost: number): number => {
    const cost = fixed + participants * meanCost;
    return (participants * meanBenefit - cost) / cost;
  };
  let sumB = 0;
  let sumC = 0;
  for (let i = 0; i < n; i += 1) {
    sumB += b[i]!;
    if (c) sumC += c[i]!;
  }
  if (!(fixed + participants * (sumC / n) > 0)) {
    throw new StatsInputError(
      'fixedCost',
      'the total cost must be positive to compute ROI; enter the fully loaded cost.',
    );
  }
  const roi = roiOf(sumB / n, sumC / n);

  const rng = Xoshiro128StarStar.fromSeed(input.seed);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r += 1) {
    let sb = 0;
    let sc = 0;
    if (c) {
      for (let i = 0; i < n; i += 1) {
        const j = rng.nextInt(n);
        sb += b[j]!;
        sc += c[j]!;
      }
    } else {
      for (let i = 0; i < n; i += 1) sb += b[rng.nextInt(n)]!;
    }
    replicates[r] = roiOf(sb / n, sc / n);
  }

  const jack = new Float64Array(n);
  for (let i = 0; i < n; i += 1) jack[i] = roiOf((sumB - b[i]!) / (n - 1), c ? (sumC - c[i]!) / (n - 1) : 0);

  const percentile = percentileInterval(replicates, confidence);
  let bca: BcaInterval | null = null;
  let bcaUnavailable: string | null = null;
  try {
    bca = bcaInterval(replicates, roi, jack, confidence);
  } catch (error) {
    if (!(error instanceof StatsInputError)) throw error;
    bcaUnavailable = error.message;
  }
  const conservativeFrom = (input.conservativeFrom ?? 'bca') === 'bca' && bca ? 'bca' : 'percentile';
  const conservativeRoi = conservativeFrom === 'bca' && bca ? bca.lower : percentile.lower;
  return { roi, percentile, bca, bcaUnavailable, conservativeRoi, conservativeFrom, replicates };
}
