import { StatsInputError } from '../stats/stats-input-error.js';
import {
  compare,
  divide,
  multiply,
  rational,
  subtract,
  toFixed,
  toNumber,
  toRational,
  ZERO,
  type DecimalInput,
  type Rational,
} from './exact.js';

/** Inputs of the Phillips ROI formula, in one currency (e.g. dollars) over the same period and scope. */
export interface RoiInput {
  /** Total monetized benefit (program level or per participant; cost must use the same scope). */
  benefit: DecimalInput;
  /** Fully loaded program cost (see cost-model.ts); must be positive. */
  cost: DecimalInput;
  /** Benefit per year for the payback period; defaults to `benefit` (a one-year benefit). */
  annualBenefit?: DecimalInput;
}

/** Exact ROI figures plus their nearest doubles for charts. */
export interface RoiResult {
  benefit: Rational;
  cost: Rational;
  /** benefit - cost. */
  netBenefit: Rational;
  /** ROI as a ratio: (benefit - cost) / cost. 2 means 200%. */
  roi: Rational;
  /** ROI in percent: ratio x 100. */
  roiPercent: Rational;
  /** Benefit-cost ratio benefit / cost (BCR 3 means $3 back per $1 spent; BCR = ROI ratio + 1). */
  benefitCostRatio: Rational;
  /** Months until the annual benefit repays the cost: cost / (annualBenefit / 12); null if never. */
  paybackMonths: Rational | null;
  /** The same figures as doubles (ROI ratio and percent both, to keep 2.0 vs 200% explicit). */
  approx: {
    netBenefit: number;
    roiRatio: number;
    roiPercent: number;
    benefitCostRatio: number;
    paybackMonths: number | null;
  };
}

/**
 * Phillips ROI methodology, level 5 (Phillips 2003, "Return on Investment in Training and Performance
 * Improvement Programs"):
 *
 *   net benefit = benefit - cost
 *   ROI (ratio) = (benefit - cost) / cost, reported as ROI % = ratio x 100 (ROI 2.0 = 200%)
 *   BCR = benefit / cost
 *   payback (months) = cost / (annual benefit / 12)
 *
 * All arithmetic is exact (decimal inputs become fractions), so 380 vs 120 gives ROI 13/6, i.e.
 * 216.666...%, which {@link formatRoiPercent} shows as "216.7". Benefits should already be adjusted as
 * the analyst intends (isolation, confidence; see benefit-model.ts); this function does not adjust.
 *
 * @throws StatsInputError when cost is not positive (ROI is undefined for a free program).
 */
export function phillipsRoi(input: RoiInput): RoiResult {
  const benefit = toRational(input.benefit, 'benefit');
  const cost = toRational(input.cost, 'cost');
  if (compare(cost, ZERO) <= 0) {
    throw new StatsInputError(
      'cost',
      `cost must be positive to compute ROI, got ${toFixed(cost, 2)}; enter the fully loaded cost.`,
    );
  }
  const annual =
    input.annualBenefit === undefined ? benefit : toRational(input.annualBenefit, 'annualBenefit');
  const netBenefit = subtract(benefit, cost);
  const roi = divide(netBenefit, cost);
  const roiPercent = multiply(roi, rational(100n));
  const benefitCostRatio = divide(benefit, cost);
  const paybackMonths = compare(annual, ZERO) > 0 ? divide(multiply(cost, rational(12n)), annual) : null;
  return {
    benefit,
    cost,
    netBenefit,
    roi,
    roiPercent,
    benefitCostRatio,
    paybackMonths,
    approx: {
      netBenefit: toNumber(netBenefit),
      roiRatio: toNumber(roi),
      roiPercent: toNumber(roiPercent),
      benefitCostRatio: toNumber(benefitCostRatio),
      paybackMonths: paybackMonths === null ? null : toNumber(paybackMonths),
    },
  };
}

/** ROI percent rounded for display, e.g. "216.7" (1 decimal, halves away from zero). */
export function formatRoiPercent(result: RoiResult, decimals = 1): string {
  return toFixed(result.roiPercent, decimals);
}
