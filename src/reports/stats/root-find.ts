import { StatsInputError } from './stats-input-error.js';

/**
 * Brent's method (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4; the algorithm
 * behind R's `uniroot`): finds x in [lower, upper] with f(x) = 0 for a continuous f whose values at the
 * ends have opposite signs, combining bisection with secant and inverse quadratic steps.
 *
 * @param tolerance absolute tolerance on x; the default 1e-12 is far tighter than uniroot's default
 *   (about 1.2e-4), which is why golden values are computed in R with `tol = 1e-12` as well.
 * @throws StatsInputError when f(lower) and f(upper) have the same sign (no bracketed root), or the
 *   method does not converge within `maxIterations`.
 */
export function brentRoot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  tolerance = 1e-12,
  maxIterations = 1000,
): number {
  let a = lower;
  let b = upper;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Math.sign(fa) === Math.sign(fb)) {
    throw new StatsInputError(
      'bounds',
      `no solution between ${lower} and ${upper}: the target is not reachable there (f = ${fa} and ${fb}).`,
    );
  }
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + tolerance / 2;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // Interpolation step: secant when only two points differ, inverse quadratic otherwise.
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  throw new StatsInputError('bounds', `root search did not converge in ${maxIterations} iterations.`);
}
