/**
 * Cluster-robust (sandwich) covariance for OLS when errors are correlated within clusters (sites,
 * teams, matched pairs) and independent across them.
 *
 * CR1 here is exactly `sandwich::vcovCL(fit, cluster, type = 'HC1')` (sandwich 3.0): the CR0 sandwich
 * M (sum_g X_g' e_g e_g' X_g) M times G / (G - 1) (vcovCL's default `cadjust = TRUE`) times
 * (N - 1) / (N - K) (its HC1 factor), the same factor as Stata's `vce(cluster)`. Inference conventionally
 * uses t with G - 1 degrees of freedom; with few clusters it over-rejects, which is what CR2
 * (`cluster-robust-cr2.ts`) corrects.
 */
import { AttributionInputError } from './matrix-errors.js';
import { createMatrix, type Matrix } from './matrix.js';
import { sandwich, type OlsFit } from './ols.js';

/** Rows grouped by cluster, clusters in order of first appearance. */
export interface ClusterIndex {
  readonly labels: readonly string[];
  /** members[g] holds the row indices of cluster g, ascending. */
  readonly members: readonly Int32Array[];
  readonly count: number;
}

/**
 * Groups row indices by cluster label. Throws {@link AttributionInputError} when a label is empty or
 * when there are fewer than 2 clusters (no between-cluster variation to estimate from).
 */
export function groupClusters(clusterIds: readonly (string | number)[]): ClusterIndex {
  const byLabel = new Map<string, number[]>();
  clusterIds.forEach((id, row) => {
    const label = String(id);
    if (label === '') {
      throw new AttributionInputError(
        `the cluster id on row ${row + 1} is empty; every row needs a cluster`,
        {
          row: row + 1,
        },
      );
    }
    let list = byLabel.get(label);
    if (!list) byLabel.set(label, (list = []));
    list.push(row);
  });
  if (byLabel.size < 2) {
    throw new AttributionInputError(
      `cluster-robust standard errors need at least 2 clusters; the data has ${byLabel.size}`,
      { clusters: byLabel.size },
    );
  }
  return {
    labels: [...byLabel.keys()],
    members: [...byLabel.values()].map((rows) => Int32Array.from(rows)),
    count: byLabel.size,
  };
}

/** X_g' v_g: the k-vector of column sums of the cluster's rows weighted by v (v indexed by row). */
export function clusterScore(fit: OlsFit, rows: Int32Array, v: ArrayLike<number>): Float64Array {
  const k = fit.k;
  const out = new Float64Array(k);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const vr = v[r]!;
    for (let j = 0; j < k; j++) out[j]! += fit.design.data[row * k + j]! * vr;
  }
  return out;
}

/**
 * CR1 covariance, `sandwich::vcovCL(type = 'HC1')`:
 * G/(G-1) * (N-1)/(N-K) * M (sum_g X_g' e_g e_g' X_g) M, M = (X'X)^{-1}. Units: squared units of the
 * coefficients. `clusters` must index the rows of the fit (see {@link groupClusters}).
 */
export function cr1Covariance(fit: OlsFit, clusters: ClusterIndex): Matrix {
  const { k, n } = fit;
  const g = clusters.count;
  const meat = createMatrix(k, k);
  for (const rows of clusters.members) {
    const e = Float64Array.from(rows, (row) => fit.residuals[row]!);
    const s = clusterScore(fit, rows, e);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) meat.data[i * k + j]! += s[i]! * s[j]!;
  }
  return sandwich(fit.unscaledCovariance, meat, (g / (g - 1)) * ((n - 1) / (n - k)));
}
