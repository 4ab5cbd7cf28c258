import { StatsInputError } from '../stats/stats-input-error.js';
import {
  add,
  compare,
  divide,
  multiply,
  ONE,
  power,
  subtract,
  sum,
  toRational,
  ZERO,
  type DecimalInput,
  type Rational,
} from './exact.js';

/** One monetized benefit per year, e.g. "minor ER claims avoided": units x value per unit. */
export interface BenefitItem {
  label: string;
  /** Units of improvement per year attributed to the program (e.g. 150 fewer absence days). */
  units: DecimalInput;
  /** Money per unit (e.g. 300 per absence day); the monetization assumption. */
  valuePerUnit: DecimalInput;
  /**
   * The estimator's confidence in this estimate as a fraction (0.8 = 80%). Phillips multiplies a
   * benefit estimate by this confidence to be conservative; the adjustment is applied only when the
   * model asks for it. Omitted means 1 (a measured, not estimated, value).
   */
  confidence?: DecimalInput;
}

/** Options of the benefit model. Rates are fractions (0.05 = 5%). */
export interface BenefitModelInput {
  items: BenefitItem[];
  /** Multiply each item by its confidence (Phillips' error adjustment). Required, to make the choice explicit. */
  adjustForConfidence: boolean;
  /** Years the effect is counted, default 1. */
  horizonYears?: number;
  /** Annual discount rate for present value, default 0. */
  discountRate?: DecimalInput;
  /** Share of the effect lost each year after the first, default 0 (0.2: year 2 keeps 80%). */
  annualDecay?: DecimalInput;
  /** Benefits named but deliberately not monetized (e.g. "job satisfaction"); reported, never summed. */
  intangibles?: string[];
}

/** One item's annual value before and after the confidence adjustment. */
export interface BenefitLine {
  label: string;
  unadjusted: Rational;
  confidence: Rational;
  adjusted: Rational;
}

/** One year of the horizon. */
export interface BenefitYear {
  year: number;
  /** Annual benefit after decay (undiscounted). */
  benefit: Rational;
  /** 1 / (1 + rate)^year, end-of-year convention. */
  discountFactor: Rational;
  presentValue: Rational;
}

/** Result of the benefit model; all money exact. */
export interface BenefitModel {
  lines: BenefitLine[];
  /** First-year benefit before any confidence adjustment. */
  annualUnadjusted: Rational;
  /** First-year benefit with every item multiplied by its confidence. */
  annualAdjusted: Rational;
  /** The first-year figure carried into the horizon: adjusted or unadjusted, per `adjustForConfidence`. */
  annualUsed: Rational;
  adjustedForConfidence: boolean;
  years: BenefitYear[];
  /** Sum of the yearly present values: the benefit for ROI. */
  presentValue: Rational;
  intangibles: string[];
}

/**
 * Monetized program benefit over a multi-year horizon.
 *
 *   item value          = units x value per unit                 (per year)
 *   adjusted item value = item value x confidence                 (only if adjustForConfidence)
 *   benefit in year t   = annual x (1 - decay)^(t - 1)            t = 1..horizon
 *   present value       = sum_t benefit_t / (1 + discount rate)^t (end-of-year discounting)
 *
 * With the defaults (1 year, no discount, no decay) the present value equals the first-year benefit,
 * which is what most Phillips studies report. Note that with a positive discount rate even year 1 is
 * discounted (end of year); pass 0 to report undiscounted first-year ROI. Intangibles are carried to
 * the report as a list and never enter a sum.
 *
 * @throws StatsInputError for a confidence outside [0, 1], a negative rate, decay outside [0, 1], or a
 *   horizon that is not a whole number from 1 to 50.
 */
export function benefitModel(input: BenefitModelInput): BenefitModel {
  const horizon = input.horizonYears ?? 1;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 50) {
    throw new StatsInputError(
      'horizonYears',
      `horizonYears must be a whole number from 1 to 50, got ${horizon}.`,
    );
  }
  const rate = toRational(input.discountRate ?? 0, 'discountRate');
  const decay = toRational(input.annualDecay ?? 0, 'annualDecay');
  if (compare(rate, ZERO) < 0)
    throw new StatsInputError('discountRate', 'discountRate cannot be negative; 0.05 means 5%.');
  if (compare(decay, ZERO) < 0 || compare(decay, ONE) > 0) {
    throw new StatsInputError(
      'annualDecay',
      'annualDecay must be a fraction from 0 to 1; 0.2 means the effect loses 20% a year.',
    );
  }
  const lines = input.items.map((item): BenefitLine => {
    const confidence = toRational(item.confidence ?? 1, `${item.label} confidence`);
    if (compare(confidence, ZERO) < 0 || compare(confidence, ONE) > 0) {
      throw new StatsInputError(
        'confidence',
        `${item.label}: confidence must be a fraction from 0 to 1 (0.8 = 80%).`,
      );
    }
    const unadjusted = multiply(
      toRational(item.units, `${item.label} units`),
      toRational(item.valuePerUnit, `${item.label} valuePerUnit`),
    );
    return { label: item.label, unadjusted, confidence, adjusted: multiply(unadjusted, confidence) };
  });
  const annualUnadjusted = sum(lines.map((l) => l.unadjusted));
  const annualAdjusted = sum(lines.map((l) => l.adjusted));
  const annualUsed = input.adjustForConfidence ? annualAdjusted : annualUnadjusted;
  const keep = subtract(ONE, decay);
  const growth = add(ONE, rate);
  const years: BenefitYear[] = [];
  for (let year = 1; year <= horizon; year += 1) {
    const benefit = multiply(annualUsed, power(keep, year - 1));
    const discountFactor = divide(ONE, power(growth, year));
    years.push({ year, benefit, discountFactor, presentValue: multiply(benefit, discountFactor) });
  }
  return {
    lines,
    annualUnadjusted,
    annualAdjusted,
    annualUsed,
    adjustedForConfidence: input.adjustForConfidence,
    years,
    presentValue: sum(years.map((y) => y.presentValue)),
    intangibles: [...(input.intangibles ?? [])],
  };
}
