/**
 * Propensity-score matching estimate of the average treatment effect on the treated (ATT), following
 * MatchIt's defaults and its "Estimating Effects After Matching" vignette:
 *
 * 1. Propensity score: logistic regression of treatment on the covariates (with intercept); the
 *    distance is the fitted probability itself, not its logit (MatchIt `distance = 'glm'`,
 *    `link = 'logit'`).
 * 2. 1:1 nearest-neighbour matching without replacement, treated units in decreasing score order
 *    (`matching.ts`). Optional caliper in standard deviations of the score over all units
 *    (MatchIt `std.caliper = TRUE`: width = caliper x sd(score)).
 * 3. ATT = mean over pairs of (treated outcome - control outcome), which is the coefficient of
 *    `lm(y ~ treat, data = matched, weights = weights)`.
 * 4. SE: cluster-robust by pair, `sandwich::vcovCL(fit, cluster = ~subclass)` (HC1), as the vignette
 *    recommends (Abadie & Spiess 2022). For 1:1 pairs this equals the paired-difference SE
 *    sd(d) / sqrt(P) times sqrt((2P - 1) / (2P - 2)). The interval uses t with P - 1 df (P pairs), the
 *    paired-design df; the vignette's `avg_comparisons` uses the normal distribution and
 *    `lmtest::coeftest` would use 2P - 2, both slightly narrower.
 * 5. Balance before and after matching (`balance.ts`), including the propensity score itself.
 *
 * The SE treats the propensity score as known (it ignores its estimation), as MatchIt's guidance does.
 */
import { AttributionInputError, listForMessage } from './matrix-errors.js';
import { createMatrix, diagonalSqrt } from './matrix.js';
import { fitLogistic, type LogisticFit } from './logistic.js';
import { nearestNeighborMatch, type MatchedPair, type MatchOrder } from './matching.js';
import { fitOls } from './ols.js';
import { cr1Covariance, groupClusters } from './cluster-robust.js';
import { tInference, type TInference } from './ols-inference.js';
import { matchedBalanceTable, type CovariateValues, type MatchedBalanceTable } from './balance.js';

export interface PsmRow {
  readonly id: string;
  readonly treated: boolean;
  readonly covariates: Readonly<Record<string, number>>;
  /** The outcome, in its own units. */
  readonly outcome: number;
}

export interface PsmOptions {
  /** Covariate names, in model order; each row must have a finite value for each. */
  readonly covariates: readonly string[];
  /** Caliper in standard deviations of the propensity score (e.g. 0.2); no caliper when omitted. */
  readonly caliper?: number;
  /** Order in which treated units choose their control; default 'largest' (MatchIt's default). */
  readonly order?: MatchOrder;
  /** Confidence level of the ATT interval; default 0.95. */
  readonly level?: number;
}

export interface PsmPair {
  readonly treatedId: string;
  readonly controlId: string;
  readonly treatedScore: number;
  readonly controlScore: number;
}

export interface PsmResult {
  readonly method: string;
  readonly propensityModel: LogisticFit;
  /** Propensity score per input row (probability of treatment, 0..1). */
  readonly propensityScores: Float64Array;
  /** Caliper width in propensity-score units, or null without a caliper. */
  readonly caliperWidth: number | null;
  readonly pairs: readonly PsmPair[];
  readonly unmatched: {
    readonly treated: number;
    readonly controls: number;
    readonly treatedIds: readonly string[];
  };
  /** ATT in outcome units with its cluster-robust (by pair) SE and t(P - 1) interval. */
  readonly att: TInference & { readonly method: string };
  readonly balance: MatchedBalanceTable;
  readonly warnings: readonly string[];
}

/** Name of the balance-table row for the propensity score itself (MatchIt calls it 'distance'). */
export const PROPENSITY_SCORE_ROW = 'propensity score';

const ORDER_WORDS: Record<MatchOrder, string> = {
  largest: 'largest score first',
  smallest: 'smallest score first',
  data: 'in input order',
};

function validate(rows: readonly PsmRow[], options: PsmOptions): void {
  if (options.covariates.length === 0) {
    throw new AttributionInputError('propensity-score matching needs at least one covariate to match on');
  }
  const badOutcome = rows.flatMap((r, i) => (Number.isFinite(r.outcome) ? [] : [r.id || `row ${i + 1}`]));
  if (badOutcome.length > 0) {
    throw new AttributionInputError(
      `the outcome is missing or not a number for ${listForMessage(badOutcome)}; fix or drop them`,
      { ids: badOutcome },
    );
  }
  for (const name of options.covariates) {
    const bad = rows.flatMap((r, i) => (Number.isFinite(r.covariates[name]) ? [] : [r.id || `row ${i + 1}`]));
    if (bad.length > 0) {
      throw new AttributionInputError(
        `the covariate '${name}' is missing or not a number for ${listForMessage(bad)}; fill it in, drop those people, or leave '${name}' out`,
        { covariate: name, ids: bad },
      );
    }
  }
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.id))
      throw new AttributionInputError(`the id ${r.id} appears twice; each person needs one row`);
    seen.add(r.id);
  }
  const nTreated = rows.filter((r) => r.treated).length;
  if (nTreated === 0 || nTreated === rows.length) {
    throw new AttributionInputError(
      `matching needs both participants and non-participants; all ${rows.length} rows are ${nTreated ? 'treated' : 'controls'}`,
    );
  }
}

/**
 * Estimates the ATT by propensity-score matching. Throws {@link AttributionInputError} for missing
 * covariates or outcomes, duplicate ids, a single group, collinear covariates, or fewer than 2 matched
 * pairs (widen the caliper). Warnings: separation in the propensity model (no overlap), treated units
 * left unmatched (the estimate then describes the matched treated only), more treated than controls,
 * and covariates still imbalanced after matching.
 */
export function propensityScoreMatch(rows: readonly PsmRow[], options: PsmOptions): PsmResult {
  validate(rows, options);
  const names = options.covariates;
  const n = rows.length;
  const x = createMatrix(n, names.length);
  rows.forEach((r, i) => names.forEach((name, j) => (x.data[i * names.length + j] = r.covariates[name]!)));
  const treated = rows.map((r) => r.treated);
  const model = fitLogistic(
    x,
    treated.map((t) => (t ? 1 : 0)),
    names,
  );
  const scores = model.fitted;

  let caliperWidth: number | null = null;
  if (options.caliper !== undefined) {
    if (!(options.caliper > 0))
      throw new AttributionInputError(`the caliper must be a positive number of SDs; got ${options.caliper}`);
    const mean = scores.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    caliperWidth = options.caliper * sd;
  }
  const matching = nearestNeighborMatch(scores, treated, {
    order: options.order ?? 'largest',
    ...(caliperWidth !== null ? { caliperWidth } : {}),
  });
  const pairCount = matching.pairs.length;
  if (pairCount < 2) {
    throw new AttributionInputError(
      `only ${pairCount} treated ${pairCount === 1 ? 'person' : 'people'} found a match${
        caliperWidth !== null ? ' within the caliper; widen the caliper' : ''
      }; at least 2 matched pairs are needed for a standard error`,
    );
  }

  const att = pairAtt(rows, matching.pairs, options.level ?? 0.95);

  const weights = new Float64Array(n);
  for (const p of matching.pairs) {
    weights[p.treatedIndex] = 1;
    weights[p.controlIndex] = 1;
  }
  const covariates: CovariateValues[] = [
    { name: PROPENSITY_SCORE_ROW, values: scores },
    ...names.map((name) => ({ name, values: rows.map((r) => r.covariates[name]!) })),
  ];
  const balance = matchedBalanceTable(covariates, treated, weights);

  const warnings = psmWarnings(model, treated, matching.unmatchedTreated.length, caliperWidth, balance);

  return {
    method: `propensity-score matching: logistic propensity score on ${names.join(', ')}; 1:1 nearest neighbour without replacement, ${ORDER_WORDS[options.order ?? 'largest']}${
      caliperWidth !== null ? `, caliper ${options.caliper} SD of the score` : ''
    } (MatchIt method = 'nearest')`,
    propensityModel: model,
    propensityScores: scores,
    caliperWidth,
    pairs: matching.pairs.map((p) => ({
      treatedId: rows[p.treatedIndex]!.id,
      controlId: rows[p.controlIndex]!.id,
      treatedScore: scores[p.treatedIndex]!,
      controlScore: scores[p.controlIndex]!,
    })),
    unmatched: {
      treated: matching.unmatchedTreated.length,
      controls: matching.unmatchedControls.length,
      treatedIds: matching.unmatchedTreated.map((i) => rows[i]!.id),
    },
    att,
    balance,
    warnings,
  };
}

/** ATT from the matched sample: lm(y ~ treat) with SEs clustered by pair (vcovCL HC1), t(P - 1). */
function pairAtt(
  rows: readonly PsmRow[],
  pairs: readonly MatchedPair[],
  level: number,
): TInference & { readonly method: string } {
  // Rows 2p (treated) and 2p + 1 (control) form cluster p.
  const design = createMatrix(2 * pairs.length, 2);
  const y: number[] = [];
  const pairIds: number[] = [];
  pairs.forEach((p, k) => {
    design.data.set([1, 1, 1, 0], 4 * k);
    y.push(rows[p.treatedIndex]!.outcome, rows[p.controlIndex]!.outcome);
    pairIds.push(k, k);
  });
  const fit = fitOls(design, y, ['(Intercept)', 'treated']);
  const se = diagonalSqrt(cr1Covariance(fit, groupClusters(pairIds)))[1]!;
  return {
    ...tInference(fit.coefficients[1]!, se, pairs.length - 1, level),
    method: `mean matched-pair difference; SE cluster-robust by pair (sandwich::vcovCL HC1), t with ${pairs.length - 1} df (pairs - 1)`,
  };
}

function psmWarnings(
  model: LogisticFit,
  treated: readonly boolean[],
  unmatchedTreated: number,
  caliperWidth: number | null,
  balance: MatchedBalanceTable,
): string[] {
  const warnings: string[] = [];
  const n = treated.length;
  if (model.separation.detected) {
    warnings.push(
      `the propensity model shows ${model.separation.kind} separation (${model.separation.covariates.join(', ') || 'several covariates'}): some people have no comparable counterparts, so restrict the sample or drop that covariate`,
    );
  }
  const nTreated = treated.filter(Boolean).length;
  if (nTreated > n - nTreated) {
    warnings.push(
      `there are more participants (${nTreated}) than non-participants (${n - nTreated}); not every participant can be matched`,
    );
  }
  if (unmatchedTreated > 0) {
    warnings.push(
      `${unmatchedTreated} of ${nTreated} participants were not matched${caliperWidth !== null ? ' within the caliper' : ''}; the estimate describes the matched participants only`,
    );
  }
  const stillImbalanced = balance.after.rows.filter((r) => r.imbalanced).map((r) => r.name);
  if (stillImbalanced.length > 0) {
    warnings.push(
      `after matching, ${stillImbalanced.map((r) => `'${r}'`).join(', ')} ${stillImbalanced.length > 1 ? 'remain' : 'remains'} imbalanced (|SMD| > 0.1 or variance ratio outside 0.5-2); consider a caliper or adding the covariate's square`,
    );
  }
  return warnings;
}
