/**
 * Detection of complete and quasi-complete separation in logistic regression, where some combination
 * of covariates predicts the outcome perfectly, the maximum-likelihood coefficients are infinite, and
 * glm's estimates and standard errors are meaningless. R warns only in the complete case ("fitted
 * probabilities numerically 0 or 1 occurred") and converges silently in the quasi-complete one, so two
 * checks are combined:
 *
 * 1. Each covariate on its own: with x restricted to outcome-0 rows and to outcome-1 rows, ranges that
 *    do not overlap separate completely; ranges that touch at one value separate quasi-completely
 *    (e.g. a 0/1 covariate whose value 1 only occurs with outcome 1).
 * 2. The IRLS path: along a separating direction the coefficients keep growing by a roughly constant
 *    amount per iteration while the deviance has stopped changing. A covariate whose coefficient moved
 *    by at least 0.05 standard-deviation-scaled logit units (|delta b_j| x sd(x_j)) in the last
 *    iteration, and by at least a tenth of the largest such move, is reported as diverging. A
 *    converged, well-posed fit moves by orders of magnitude less.
 */

export type SeparationKind = 'none' | 'complete' | 'quasi-complete';

export interface SeparationReport {
  readonly detected: boolean;
  readonly kind: SeparationKind;
  /** Covariates that separate the outcome on their own or whose coefficients diverge. */
  readonly covariates: readonly string[];
  /** One sentence per finding, for the report's warnings. */
  readonly findings: readonly string[];
}

/** Divergence threshold in sd-scaled logit units per iteration (see module comment). */
export const DIVERGENCE_STEP = 0.05;

/** The univariate check for one covariate column; null when its ranges overlap. */
export function separatesAlone(
  name: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { kind: Exclude<SeparationKind, 'none'>; finding: string } | null {
  let min0 = Infinity;
  let max0 = -Infinity;
  let min1 = Infinity;
  let max1 = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (y[i] === 1) {
      min1 = Math.min(min1, v);
      max1 = Math.max(max1, v);
    } else {
      min0 = Math.min(min0, v);
      max0 = Math.max(max0, v);
    }
  }
  if (max0 < min1 || max1 < min0) {
    const [low, high] = max0 < min1 ? ['0', '1'] : ['1', '0'];
    return {
      kind: 'complete',
      finding: `'${name}' alone separates the outcome completely: every outcome-${high} row has a larger ${name} than every outcome-${low} row, so its coefficient is infinite`,
    };
  }
  if (max0 === min1 || max1 === min0) {
    const [value, outcome] = max0 === min1 ? [min1, 1] : [min0, 0];
    const side = outcome === 1 ? 'above' : 'below';
    return {
      kind: 'quasi-complete',
      finding: `'${name}' separates the outcome quasi-completely: every row with ${name} ${side} ${value} has outcome ${outcome}, so its coefficient is infinite`,
    };
  }
  return null;
}

function sampleSd(x: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - mean) ** 2;
  return Math.sqrt(ss / (x.length - 1));
}

/**
 * Combines both checks. `columns[j]` holds covariate j (intercept excluded); `lastStep[j]` is its
 * coefficient change in the final IRLS iteration (0 when the fit stopped after one iteration);
 * `deviancePerRow` near 0 marks the complete case.
 */
export function detectSeparation(
  names: readonly string[],
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  lastStep: ArrayLike<number>,
  deviancePerRow: number,
): SeparationReport {
  const findings: string[] = [];
  const flagged = new Set<string>();
  let complete = deviancePerRow < 1e-6;
  columns.forEach((x, j) => {
    const alone = separatesAlone(names[j]!, x, y);
    if (alone) {
      findings.push(alone.finding);
      flagged.add(names[j]!);
      if (alone.kind === 'complete') complete = true;
    }
  });
  const moves = columns.map((x, j) => Math.abs(lastStep[j]!) * sampleSd(x));
  const largest = Math.max(0, ...moves);
  const diverging = names.filter((_, j) => moves[j]! >= DIVERGENCE_STEP && moves[j]! >= 0.1 * largest);
  if (diverging.length > 0) {
    findings.push(
      `the coefficient${diverging.length > 1 ? 's' : ''} of ${diverging.map((n) => `'${n}'`).join(', ')} ${
        diverging.length > 1 ? 'were' : 'was'
      } still growing when the fit stopped, the signature of separation`,
    );
    diverging.forEach((n) => flagged.add(n));
  }
  const detected = findings.length > 0 || complete;
  return {
    detected,
    kind: detected ? (complete ? 'complete' : 'quasi-complete') : 'none',
    covariates: names.filter((n) => flagged.has(n)),
    findings,
  };
}
