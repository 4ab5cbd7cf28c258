import type { AssumptionRow, EffectRow, PersonImprovement } from '../cohorts/model.js';
import { bootstrapRoi } from './roi/bootstrap-roi.js';
import { StatsInputError } from './stats/stats-input-error.js';

/** The participant bootstrap of a program's confidence-adjusted ROI, as the report shows it. */
export interface RoiBootstrapSummary {
  methodName: string;
  resamples: number;
  seed: number;
  /** Two-sided level, e.g. 0.95. */
  confidence: number;
  /** People resampled: everyone with a person-level contribution to any monetized effect. */
  participants: number;
  /** ROI % on the full sample (1 decimal); equals the report's adjusted ROI when each effect is the mean of its contributions. */
  roiPercent: string;
  percentile: { lowerPercent: string; upperPercent: string };
  bca: { lowerPercent: string; upperPercent: string; biasCorrection: number; acceleration: number } | null;
  bcaUnavailable: string | null;
  /** The lower end of the BCa interval (percentile when BCa is unavailable): the ROI to quote. */
  conservativeRoiPercent: string;
  conservativeFrom: 'bca' | 'percentile';
  note: string;
}

export interface MonetizedEffect {
  effect: EffectRow;
  assumption: AssumptionRow;
}

/** Default number of resamples of the report's bootstrap. */
export const REPORT_RESAMPLES = 2000;

/** A seed derived from the program id, so the same data always gives the same interval. */
export function programSeed(programId: string): number {
  return Number.parseInt(programId.replace(/-/g, '').slice(0, 8), 16);
}

/**
 * Bootstraps the confidence-adjusted ROI over participants. Each participant's benefit is
 *
 *   b_i = sum over monetized outcomes k of  v_k c_k H (n_k / N) d_ik
 *
 * with d_ik the person's improvement on outcome k as the attribution method computed it (the mean of
 * the contributions of outcome k when the person has none), v_k the value per unit, c_k its
 * confidence, H the horizon in years (the report is undiscounted), n_k the participants the effect
 * counts and N the people resampled; so N mean(b) is the report's adjusted benefit whenever each
 * effect is the mean of its contributions. Cost is the fully loaded total, fixed.
 *
 * @returns null with the reason when some monetized effect has no person-level data (entered by hand)
 *   or fewer than 2 contributions.
 */
export function bootstrapProgramRoi(input: {
  monetized: readonly MonetizedEffect[];
  people: ReadonlyMap<string, readonly PersonImprovement[]>;
  totalCost: string;
  horizonYears: number;
  seed: number;
  resamples?: number;
  confidence?: number;
}): { summary: RoiBootstrapSummary; unavailable: null } | { summary: null; unavailable: string } {
  const missing = input.monetized.filter(({ effect }) => (input.people.get(effect.outcome)?.length ?? 0) < 2);
  if (missing.length) {
    return {
      summary: null,
      unavailable: `No bootstrap interval: the effect on ${missing.map((m) => m.effect.outcome).join(', ')} has no person-level data (entered by hand or estimated before it was kept); re-estimate it from outcome data.`,
    };
  }
  const ids = [
    ...new Set(
      input.monetized.flatMap(({ effect }) => input.people.get(effect.outcome)!.map((p) => p.personId)),
    ),
  ].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  const benefit = new Float64Array(n);
  for (const { effect, assumption } of input.monetized) {
    const list = input.people.get(effect.outcome)!;
    const weight =
      Number(assumption.valuePerUnit) *
      Number(assumption.confidence) *
      input.horizonYears *
      (effect.participants / n);
    let mean = 0;
    for (const p of list) mean += p.improvement;
    mean /= list.length;
    const seen = new Uint8Array(n);
    for (const p of list) {
      const i = index.get(p.personId)!;
      benefit[i] = benefit[i]! + weight * p.improvement;
      seen[i] = 1;
    }
    for (let i = 0; i < n; i += 1) if (!seen[i]) benefit[i] = benefit[i]! + weight * mean;
  }
  const resamples = input.resamples ?? REPORT_RESAMPLES;
  const confidence = input.confidence ?? 0.95;
  try {
    const r = bootstrapRoi({
      benefitPerParticipant: benefit,
      fixedCost: input.totalCost,
      participants: n,
      resamples,
      seed: input.seed,
      confidence,
    });
    const pct = (ratio: number) => (ratio * 100).toFixed(1);
    const level = `${Math.round(confidence * 100)}%`;
    return {
      unavailable: null,
      summary: {
        methodName: `participant bootstrap of the confidence-adjusted ROI (${resamples} resamples, seed ${input.seed}; percentile and BCa ${level} intervals as boot.ci)`,
        resamples,
        seed: input.seed,
        confidence,
        participants: n,
        roiPercent: pct(r.roi),
        percentile: { lowerPercent: pct(r.percentile.lower), upperPercent: pct(r.percentile.upper) },
        bca: r.bca && {
          lowerPercent: pct(r.bca.lower),
          upperPercent: pct(r.bca.upper),
          biasCorrection: r.bca.biasCorrection,
          acceleration: r.bca.acceleration,
        },
        bcaUnavailable: r.bcaUnavailable,
        conservativeRoiPercent: pct(r.conservativeRoi),
        conservativeFrom: r.conservativeFrom,
        note: 'Resamples participants only: it reflects who happened to take part, not uncertainty in the comparison group or in the monetization assumptions (see the sensitivity table for those).',
      },
    };
  } catch (err) {
    if (err instanceof StatsInputError)
      return { summary: null, unavailable: `No bootstrap interval: ${err.message}` };
    throw err;
  }
}
