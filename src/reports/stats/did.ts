/**
 * 2x2 difference-in-differences with cluster-robust inference.
 *
 * Model (OLS on every row): y = b0 + b1 treated + b2 post + b3 treated:post + e. The DiD estimate b3
 * equals (mean treated after - mean treated before) - (mean control after - mean control before).
 * Standard errors are clustered on `clusterId`:
 * - CR1: `sandwich::vcovCL(type = 'HC1')`, t with G - 1 df (G = number of clusters);
 * - CR2: `clubSandwich::vcovCR(type = 'CR2')`, t with Satterthwaite df (`coef_test`).
 * With fewer than 30 clusters CR1 is anti-conservative and CR2 is the recommended result.
 *
 * Panel data (units observed before and after) use the same pooled regression: units are nested in
 * clusters, so clustering also absorbs the within-unit correlation, and units seen in only one period
 * still contribute. For a balanced panel b3 equals the difference of mean within-unit changes.
 */
import { AttributionInputError } from './matrix-errors.js';
import { createMatrix, diagonalSqrt } from './matrix.js';
import { fitOls } from './ols.js';
import { tInference, type TInference } from './ols-inference.js';
import { cr1Covariance, groupClusters } from './cluster-robust.js';
import { cr2Covariance } from './cluster-robust-cr2.js';
import { didCellOf, validateDidRows, type DidCell, type DidPanelSummary, type DidRow } from './did-input.js';

export type { DidRow, DidPanelSummary, DidCell } from './did-input.js';

export interface DidOptions {
  /** Confidence level of the intervals; default 0.95. */
  readonly level?: number;
  /** Below this many clusters in total, CR2 is recommended and a warning is added; default 30. */
  readonly fewClustersThreshold?: number;
}

/** Inference for the DiD estimate under one variance estimator. */
export interface DidInference extends TInference {
  readonly method: string;
}

export interface DidResult {
  readonly method: string;
  /** The DiD estimate b3, in the outcome's units. */
  readonly estimate: number;
  readonly cr1: DidInference;
  readonly cr2: DidInference;
  /** Which of the two to report: 'CR2' with few clusters, else 'CR1'. */
  readonly recommended: 'CR1' | 'CR2';
  /** Mean outcome per cell of the 2x2 table. */
  readonly means: Readonly<Record<DidCell, number>>;
  /** Rows per cell. */
  readonly counts: Readonly<Record<DidCell, number>>;
  readonly clusters: { readonly treated: number; readonly control: number; readonly total: number };
  readonly panel: DidPanelSummary;
  readonly warnings: readonly string[];
}

const MODEL = 'OLS y ~ treated + post + treated:post';

/**
 * Estimates the 2x2 difference-in-differences effect of training. Validation rules are those of
 * `validateDidRows` (at least 2 clusters per group, no empty cell, consistent units); violations throw
 * {@link AttributionInputError}. Warnings (never errors): fewer than `fewClustersThreshold` clusters;
 * a CR2 Satterthwaite df below 10 (inference rests on few effective clusters, e.g. few treated ones);
 * an unbalanced panel; clusters containing both treated and control units.
 */
export function estimateDifferenceInDifferences(
  rows: readonly DidRow[],
  options: DidOptions = {},
): DidResult {
  const level = options.level ?? 0.95;
  const threshold = options.fewClustersThreshold ?? 30;
  const panel = validateDidRows(rows);

  const n = rows.length;
  const x = createMatrix(n, 4);
  rows.forEach((r, i) => {
    const t = r.treated ? 1 : 0;
    const p = r.post ? 1 : 0;
    x.data.set([1, t, p, t * p], i * 4);
  });
  const fit = fitOls(
    x,
    rows.map((r) => r.y),
    ['(Intercept)', 'treated', 'post', 'treated:post'],
  );
  const clusters = groupClusters(rows.map((r) => r.clusterId));
  const g = clusters.count;
  const estimate = fit.coefficients[3]!;

  const se1 = diagonalSqrt(cr1Covariance(fit, clusters))[3]!;
  const cr2 = cr2Covariance(fit, clusters);
  const se2 = diagonalSqrt(cr2.vcov)[3]!;
  const df2 = cr2.satterthwaiteDf[3]!;
  if (!(se1 > 0) || !(se2 > 0)) {
    throw new AttributionInputError(
      'the outcome does not vary around the group means, so no standard error can be estimated; check that y is the right column',
    );
  }

  const { means, counts } = cellSummary(rows);
  const treatedClusters = new Set(rows.filter((r) => r.treated).map((r) => r.clusterId)).size;
  const controlClusters = new Set(rows.filter((r) => !r.treated).map((r) => r.clusterId)).size;
  const few = g < threshold;
  const warnings = didWarnings({ g, treatedClusters, controlClusters, threshold, df2, panel });

  return {
    method: `2x2 difference-in-differences (${MODEL}), standard errors clustered by cluster id`,
    estimate,
    cr1: {
      ...tInference(estimate, se1, g - 1, level),
      method: `CR1 (sandwich::vcovCL HC1: G/(G-1) x (N-1)/(N-K)), t with G - 1 = ${g - 1} df`,
    },
    cr2: {
      ...tInference(estimate, se2, df2, level),
      method: 'CR2 (Bell-McCaffrey, clubSandwich::vcovCR), t with Satterthwaite df',
    },
    recommended: few ? 'CR2' : 'CR1',
    means,
    counts,
    clusters: { treated: treatedClusters, control: controlClusters, total: g },
    panel,
    warnings,
  };
}

function cellSummary(rows: readonly DidRow[]): {
  means: Record<DidCell, number>;
  counts: Record<DidCell, number>;
} {
  const counts: Record<DidCell, number> = { controlPre: 0, controlPost: 0, treatedPre: 0, treatedPost: 0 };
  const sums: Record<DidCell, number> = { controlPre: 0, controlPost: 0, treatedPre: 0, treatedPost: 0 };
  for (const r of rows) {
    const c = didCellOf(r);
    counts[c]++;
    sums[c] += r.y;
  }
  const means = Object.fromEntries(
    (Object.keys(sums) as DidCell[]).map((c) => [c, sums[c] / counts[c]]),
  ) as Record<DidCell, number>;
  return { means, counts };
}

function didWarnings(facts: {
  g: number;
  treatedClusters: number;
  controlClusters: number;
  threshold: number;
  df2: number;
  panel: DidPanelSummary;
}): string[] {
  const { g, treatedClusters, controlClusters, threshold, df2, panel } = facts;
  const warnings: string[] = [];
  if (g < threshold) {
    warnings.push(
      `only ${g} clusters (${treatedClusters} treated, ${controlClusters} control): report the CR2 result; CR1 with t(${g - 1}) understates uncertainty with fewer than ${threshold} clusters`,
    );
  }
  if (df2 < 10) {
    warnings.push(
      `the CR2 Satterthwaite degrees of freedom are ${df2.toFixed(1)}: the standard error rests on few effective clusters, so the interval is wide and fragile; add clusters, especially to the smaller group`,
    );
  }
  if (panel.design === 'panel' && !panel.balanced) {
    warnings.push(
      `unbalanced panel: ${panel.unitsPreOnly} units only before and ${panel.unitsPostOnly} only after; the pooled estimate uses them and assumes who is missing is unrelated to the outcome trend`,
    );
  }
  if (treatedClusters + controlClusters > g) {
    warnings.push(
      'some clusters contain both treated and control units; clustering then does not follow the assignment, so check that the cluster is the unit of sampling',
    );
  }
  return warnings;
}
