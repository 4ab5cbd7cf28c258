/**
 * CR2 cluster-robust covariance (Bell & McCaffrey 2002) with Satterthwaite degrees of freedom per
 * coefficient (Pustejovsky & Tipton 2018), matching `clubSandwich::vcovCR(fit, cluster, type = 'CR2')`
 * and `coef_test(fit, vcov, test = 'Satterthwaite')` for an unweighted `lm` (clubSandwich 0.5.8,
 * working model: independent homoskedastic errors).
 *
 *   V = M (sum_g X_g' A_g e_g e_g' A_g X_g) M,   M = (X'X)^{-1},   A_g = (I - H_gg)^{-1/2}
 *
 * with H_gg = X_g M X_g' the cluster's block of the hat matrix and the symmetric inverse square root
 * taken over eigenvalues above 1e-12 (others set to 0, as clubSandwich's `matrix_power`), so a cluster
 * whose block is singular (e.g. a regressor that is one cluster's indicator) still has an estimate.
 *
 * Satterthwaite df for coefficient j, with u_g = A_g X_g M e_j and b_g = X_g' u_g:
 *   P_gh = [g = h] |u_g|^2 - b_g' M b_h,   df_j = (sum_g P_gg)^2 / sum_{g,h} P_gh^2.
 * The double sum is evaluated as sum_g (P_gg^2 - (b_g' M b_g)^2) + tr(M C M C), C = sum_g b_g b_g',
 * so the cost is linear in the number of clusters.
 *
 * A_g is never formed: with Z_g = X_g R^{-1} (X = QR), H_gg = Z_g Z_g', whose non-zero eigenvalues are
 * those of the k x k matrix Z_g' Z_g = V diag(l) V'; then A_g r = r + Z_g V diag(c) V' Z_g' r with
 * c_i = ((1 - l_i)^{-1/2} - 1) / l_i. Cost per cluster is O(n_g k^2), so clusters of thousands of rows
 * are fine.
 */
import { bilinearForm, createMatrix, type Matrix } from './matrix.js';
import { symmetricEigen } from './matrix-eigen.js';
import { sandwich, type OlsFit } from './ols.js';
import { clusterScore, type ClusterIndex } from './cluster-robust.js';

/** CR2 covariance and one Satterthwaite df per coefficient (in column order). */
export interface Cr2Result {
  readonly vcov: Matrix;
  readonly satterthwaiteDf: Float64Array;
}

const EIGEN_TOLERANCE = 1e-12;

/** ((1 - l)^{-1/2} - 1) / l, or -1 / l when 1 - l is treated as 0 (pseudo-inverse root). */
function adjustmentCoefficient(l: number): number {
  if (l < 1e-8) return 0.5 + 0.375 * l + 0.3125 * l * l;
  const oneMinus = 1 - l;
  const root = oneMinus > EIGEN_TOLERANCE ? 1 / Math.sqrt(oneMinus) : 0;
  return (root - 1) / l;
}

interface ClusterAdjustment {
  /** Z_g V (n_g x k, row-major). */
  readonly w: Float64Array;
  readonly c: Float64Array;
}

function clusterAdjustment(fit: OlsFit, rows: Int32Array): ClusterAdjustment {
  const k = fit.k;
  const ng = rows.length;
  const rInv = fit.rInverse.data;
  const z = new Float64Array(ng * k);
  for (let r = 0; r < ng; r++) {
    const base = rows[r]! * k;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = 0; m <= j; m++) s += fit.design.data[base + m]! * rInv[m * k + j]!;
      z[r * k + j] = s;
    }
  }
  const s = createMatrix(k, k);
  for (let r = 0; r < ng; r++) {
    for (let i = 0; i < k; i++) {
      const zi = z[r * k + i]!;
      for (let j = i; j < k; j++) s.data[i * k + j]! += zi * z[r * k + j]!;
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) s.data[i * k + j] = s.data[j * k + i]!;
  const eig = symmetricEigen(s);
  const w = new Float64Array(ng * k);
  for (let r = 0; r < ng; r++) {
    for (let j = 0; j < k; j++) {
      let acc = 0;
      for (let m = 0; m < k; m++) acc += z[r * k + m]! * eig.vectors.data[m * k + j]!;
      w[r * k + j] = acc;
    }
  }
  const c = Float64Array.from(eig.values, (l) => adjustmentCoefficient(Math.min(Math.max(l, 0), 1)));
  return { w, c };
}

/** A_g v for a vector v over the cluster's rows. */
function applyAdjustment(adj: ClusterAdjustment, v: Float64Array, k: number): Float64Array {
  const ng = v.length;
  const proj = new Float64Array(k);
  for (let r = 0; r < ng; r++) for (let j = 0; j < k; j++) proj[j]! += adj.w[r * k + j]! * v[r]!;
  for (let j = 0; j < k; j++) proj[j]! *= adj.c[j]!;
  const out = Float64Array.from(v);
  for (let r = 0; r < ng; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += adj.w[r * k + j]! * proj[j]!;
    out[r]! += s;
  }
  return out;
}

/**
 * CR2 covariance and Satterthwaite degrees of freedom for every coefficient of an OLS fit.
 * `clusters` must index the rows of the fit (see `groupClusters`). No small-sample factor is applied
 * beyond the A_g adjustment (CR2 is approximately unbiased under the working model).
 */
export function cr2Covariance(fit: OlsFit, clusters: ClusterIndex): Cr2Result {
  const k = fit.k;
  const m = fit.unscaledCovariance;
  const meat = createMatrix(k, k);
  const sumP = new Float64Array(k);
  const sumSquaresDiagonal = new Float64Array(k);
  const c = Array.from({ length: k }, () => createMatrix(k, k));

  for (const rows of clusters.members) {
    const ng = rows.length;
    const adj = clusterAdjustment(fit, rows);
    const e = Float64Array.from(rows, (row) => fit.residuals[row]!);
    const score = clusterScore(fit, rows, applyAdjustment(adj, e, k));
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) meat.data[i * k + j]! += score[i]! * score[j]!;

    for (let j = 0; j < k; j++) {
      const xm = new Float64Array(ng);
      for (let r = 0; r < ng; r++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += fit.design.data[rows[r]! * k + q]! * m.data[q * k + j]!;
        xm[r] = s;
      }
      const u = applyAdjustment(adj, xm, k);
      let uu = 0;
      for (let r = 0; r < ng; r++) uu += u[r]! ** 2;
      const b = clusterScore(fit, rows, u);
      const bmb = bilinearForm(b, m, b);
      sumP[j]! += uu - bmb;
      sumSquaresDiagonal[j]! += (uu - bmb) ** 2 - bmb ** 2;
      const cj = c[j]!;
      for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) cj.data[p * k + q]! += b[p]! * b[q]!;
    }
  }

  const satterthwaiteDf = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const mc = multiplySquare(m, c[j]!, k);
    let trace = 0;
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) trace += mc[p * k + q]! * mc[q * k + p]!;
    satterthwaiteDf[j] = sumP[j]! ** 2 / (sumSquaresDiagonal[j]! + trace);
  }
  return { vcov: sandwich(m, meat), satterthwaiteDf };
}

function multiplySquare(a: Matrix, b: Matrix, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a.data[i * k + q]! * b.data[q * k + j]!;
      out[i * k + j] = s;
    }
  }
  return out;
}
