/**
 * Covariate balance between treated and control groups: standardized mean differences (SMD) and
 * variance ratios, to the conventions of MatchIt's `summary.matchit()` (MatchIt 4.5; cobalt uses the
 * same defaults), so numbers agree with what an analyst sees in R.
 *
 * - Means are weighted means (weights: 1 for everyone before matching; matching weights after, 0 for
 *   unmatched units).
 * - SMD = (mean treated - mean control) / s. The denominator s always comes from the unweighted full
 *   sample, so before and after tables share one yardstick:
 *   'treated' (ATT, default for matching): SD of the treated group;
 *   'control' (ATC): SD of the control group;
 *   'pooled' (ATE, randomization tables): sqrt((var treated + var control) / 2).
 *   If the chosen SD is below sqrt(machine epsilon) (e.g. constant among the treated), MatchIt falls
 *   back to the pooled within-group SD sqrt(sum of within-group squared deviations / (n - 2)); so do we.
 *   A mean difference below sqrt(machine epsilon) is reported unstandardized (i.e. as ~0), as MatchIt.
 * - Variances: binary (all values 0 or 1) covariates use p(1 - p); others the weighted sample variance
 *   sum w (x - m)^2 / (1 - sum w^2) with w normalised to sum 1 (the usual n - 1 variance when
 *   unweighted).
 * - Variance ratio = var treated / var control (weighted); only for continuous covariates.
 *
 * Rules of thumb flagged in `imbalanced`: |SMD| > 0.1 (Austin 2009), or a variance ratio outside
 * [0.5, 2] (Rubin 2001).
 */
import { AttributionInputError } from './matrix-errors.js';

export type SmdDenominator = 'treated' | 'control' | 'pooled';

export interface CovariateValues {
  readonly name: string;
  readonly values: ArrayLike<number>;
}

export interface CovariateBalance {
  readonly name: string;
  readonly kind: 'binary' | 'continuous';
  /** Weighted means, in the covariate's units (a proportion for binary covariates). */
  readonly meanTreated: number;
  readonly meanControl: number;
  /** Standardized mean difference (unitless); null when a group has no weight. */
  readonly standardizedMeanDifference: number | null;
  /** var treated / var control; null for binary covariates or a zero control variance. */
  readonly varianceRatio: number | null;
  readonly imbalanced: boolean;
}

export interface BalanceTable {
  readonly denominator: SmdDenominator;
  /** Units with positive weight in each group. */
  readonly nTreated: number;
  readonly nControl: number;
  readonly rows: readonly CovariateBalance[];
}

export interface MatchedBalanceTable {
  readonly denominator: SmdDenominator;
  readonly before: BalanceTable;
  readonly after: BalanceTable;
}

/** |SMD| above this flags a covariate as imbalanced (Austin 2009). */
export const SMD_THRESHOLD = 0.1;
/** Variance ratios outside this range flag a covariate as imbalanced (Rubin 2001). */
export const VARIANCE_RATIO_RANGE = [0.5, 2] as const;
const SQRT_EPS = Math.sqrt(2.220446049250313e-16);

function isBinary(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return false;
  return true;
}

/** MatchIt's wvar: p(1 - p) for binary, else sum w (x - m)^2 / (1 - sum w^2), w normalised. */
function weightedVariance(x: readonly number[], w: readonly number[], binary: boolean): number {
  const total = w.reduce((s, v) => s + v, 0);
  let mean = 0;
  let sumW2 = 0;
  for (let i = 0; i < x.length; i++) {
    mean += (w[i]! / total) * x[i]!;
    sumW2 += (w[i]! / total) ** 2;
  }
  if (binary) return mean * (1 - mean);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (w[i]! / total) * (x[i]! - mean) ** 2;
  return ss / (1 - sumW2);
}

function weightedMean(x: readonly number[], w: readonly number[]): number {
  let s = 0;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i]! * w[i]!;
    total += w[i]!;
  }
  return s / total;
}

/** MatchIt's pooled_sd with proportional contribution, the fallback denominator. */
function pooledWithinSd(x1: readonly number[], x0: readonly number[], binary: boolean): number {
  const n = x1.length + x0.length;
  if (binary) {
    const part = (g: readonly number[]) => {
      const s = g.reduce((a, v) => a + v, 0);
      return (s * (1 - s / g.length)) / n;
    };
    return Math.sqrt(part(x1) + part(x0));
  }
  const ss = (g: readonly number[]) => {
    const m = g.reduce((a, v) => a + v, 0) / g.length;
    return g.reduce((a, v) => a + (v - m) ** 2, 0);
  };
  return Math.sqrt((ss(x1) + ss(x0)) / (n - 2));
}

function denominatorSd(
  x1: readonly number[],
  x0: readonly number[],
  binary: boolean,
  kind: SmdDenominator,
): number {
  const ones1 = x1.map(() => 1);
  const ones0 = x0.map(() => 1);
  const v1 = () => weightedVariance(x1, ones1, binary);
  const v0 = () => weightedVariance(x0, ones0, binary);
  const sd =
    kind === 'treated'
      ? Math.sqrt(v1())
      : kind === 'control'
        ? Math.sqrt(v0())
        : Math.sqrt((v1() + v0()) / 2);
  return Number.isFinite(sd) && sd >= SQRT_EPS ? sd : pooledWithinSd(x1, x0, binary);
}

export interface BalanceOptions {
  readonly denominator?: SmdDenominator;
  /** Non-negative weights per unit (e.g. matching weights); all 1 when omitted. */
  readonly weights?: ArrayLike<number>;
}

/**
 * Balance of one covariate. `values`, `treated` and `options.weights` are parallel arrays. Throws
 * {@link AttributionInputError} for non-finite values or negative weights.
 */
export function covariateBalance(
  covariate: CovariateValues,
  treated: readonly boolean[],
  options: BalanceOptions = {},
): CovariateBalance {
  const { name, values } = covariate;
  const kind = options.denominator ?? 'treated';
  if (values.length !== treated.length)
    throw new RangeError(`'${name}' has ${values.length} values for ${treated.length} units`);
  const weights = options.weights ?? Array.from({ length: treated.length }, () => 1);
  const x1: number[] = [];
  const x0: number[] = [];
  const w1: number[] = [];
  const w0: number[] = [];
  for (let i = 0; i < treated.length; i++) {
    const v = values[i]!;
    const w = weights[i]!;
    if (!Number.isFinite(v)) {
      throw new AttributionInputError(
        `the covariate '${name}' is missing or not a number for unit ${i + 1}; fix or drop it`,
        {
          covariate: name,
          row: i + 1,
        },
      );
    }
    if (!(w >= 0)) throw new AttributionInputError(`weight of unit ${i + 1} must be >= 0; got ${w}`);
    (treated[i] ? x1 : x0).push(v);
    (treated[i] ? w1 : w0).push(w);
  }
  const binary = isBinary(values);
  const meanTreated = weightedMean(x1, w1);
  const meanControl = weightedMean(x0, w0);
  const diff = meanTreated - meanControl;
  const hasWeight = (w: number[]) => w.some((v) => v > 0);
  let smd: number | null = null;
  if (hasWeight(w1) && hasWeight(w0)) {
    smd = Math.abs(diff) > SQRT_EPS ? diff / denominatorSd(x1, x0, binary, kind) : diff;
  }
  let varianceRatio: number | null = null;
  if (!binary) {
    const keep = (x: number[], w: number[]) =>
      [x.filter((_, i) => w[i]! > 0), w.filter((v) => v > 0)] as const;
    const [k1, kw1] = keep(x1, w1);
    const [k0, kw0] = keep(x0, w0);
    if (k1.length >= 2 && k0.length >= 2) {
      const vc = weightedVariance(k0, kw0, false);
      varianceRatio = vc > 0 ? weightedVariance(k1, kw1, false) / vc : null;
    }
  }
  const imbalanced =
    (smd !== null && Math.abs(smd) > SMD_THRESHOLD) ||
    (varianceRatio !== null &&
      (varianceRatio < VARIANCE_RATIO_RANGE[0] || varianceRatio > VARIANCE_RATIO_RANGE[1]));
  return {
    name,
    kind: binary ? 'binary' : 'continuous',
    meanTreated,
    meanControl,
    standardizedMeanDifference: smd,
    varianceRatio,
    imbalanced,
  };
}

/** Balance of several covariates (one row each, in the given order). */
export function balanceTable(
  covariates: readonly CovariateValues[],
  treated: readonly boolean[],
  options: BalanceOptions = {},
): BalanceTable {
  const weights = options.weights;
  const count = (group: boolean) =>
    treated.reduce((s, t, i) => s + (t === group && (weights ? weights[i]! > 0 : true) ? 1 : 0), 0);
  return {
    denominator: options.denominator ?? 'treated',
    nTreated: count(true),
    nControl: count(false),
    rows: covariates.map((c) => covariateBalance(c, treated, options)),
  };
}

/**
 * The balance table of a randomized pilot (treatment vs control at assignment), with the pooled SD
 * denominator because the estimand is the average effect in the whole population.
 */
export function randomizationBalanceTable(
  covariates: readonly CovariateValues[],
  treated: readonly boolean[],
): BalanceTable {
  return balanceTable(covariates, treated, { denominator: 'pooled' });
}

/**
 * Balance before and after matching, both standardized by the full-sample treated SD (ATT), as
 * MatchIt's summary() "All Data" and "Matched Data" tables. `weights` are the matching weights (1 for
 * matched units, 0 for unmatched in 1:1 matching).
 */
export function matchedBalanceTable(
  covariates: readonly CovariateValues[],
  treated: readonly boolean[],
  weights: ArrayLike<number>,
): MatchedBalanceTable {
  return {
    denominator: 'treated',
    before: balanceTable(covariates, treated, { denominator: 'treated' }),
    after: balanceTable(covariates, treated, { denominator: 'treated', weights }),
  };
}
