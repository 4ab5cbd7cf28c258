/**
 * Greedy 1:1 nearest-neighbour matching without replacement on a scalar distance (a propensity
 * score), reproducing MatchIt's default `matchit(method = 'nearest')` (ratio 1, replace = FALSE,
 * m.order = 'largest'; algorithm of `nn_matchC_vec` in MatchIt 4.5.4-4.5.5):
 *
 * 1. All units are sorted by distance, ties in input order.
 * 2. Treated units are visited in decreasing distance ('largest'; ties in input order), increasing
 *    distance ('smallest'), or input order ('data').
 * 3. Each treated unit looks at the nearest still-available control below it and above it in that sort
 *    and takes the closer; on an exact tie the one below wins. A neighbour farther than the caliper is
 *    not eligible, and neither is anything beyond it.
 * 4. The chosen control is used up. Treated units left without an eligible control stay unmatched.
 *
 * Finding the nearest available control either side uses two union-find "skip" structures, so the whole
 * matching is O(n log n) (dominated by the sort) rather than MatchIt's O(n) scan per treated unit;
 * the pairs are the same. MatchIt 4.5.1-4.5.3 builds with a C `abs()` that truncates to integers
 * (MatchIt issue #163) always take the neighbour below and ignore the caliper; MatchIt >= 4.6 can break
 * an exact below/above tie the other way. On data without exact ties all fixed versions agree.
 */
import { AttributionInputError } from './matrix-errors.js';

export type MatchOrder = 'largest' | 'smallest' | 'data';

export interface NearestNeighborOptions {
  /** Maximum |distance difference| allowed within a pair, in distance units; none when omitted. */
  readonly caliperWidth?: number;
  /** Order in which treated units choose; default 'largest' (MatchIt's default for propensity scores). */
  readonly order?: MatchOrder;
}

export interface MatchedPair {
  /** Index into the input arrays. */
  readonly treatedIndex: number;
  readonly controlIndex: number;
  /** |distance[treated] - distance[control]|. */
  readonly distance: number;
}

export interface NearestNeighborMatching {
  /** Pairs in the order they were formed. */
  readonly pairs: readonly MatchedPair[];
  readonly unmatchedTreated: readonly number[];
  readonly unmatchedControls: readonly number[];
}

/** Union-find over sorted positions: find(p) is the nearest available position at or beyond p. */
class SkipList {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }

  find(p: number): number {
    let root = p;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[p] !== root) {
      const next = this.parent[p]!;
      this.parent[p] = root;
      p = next;
    }
    return root;
  }

  skip(p: number, to: number): void {
    this.parent[p] = to;
  }
}

/**
 * Matches each treated unit to at most one control. `distance` and `treated` are parallel arrays.
 * Throws {@link AttributionInputError} when a distance is not finite, when there is no treated or no
 * control unit, or when the caliper is not a positive number.
 */
export function nearestNeighborMatch(
  distance: ArrayLike<number>,
  treated: readonly boolean[],
  options: NearestNeighborOptions = {},
): NearestNeighborMatching {
  const n = distance.length;
  if (treated.length !== n) throw new RangeError(`${treated.length} treatment flags for ${n} distances`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(distance[i]!)) {
      throw new AttributionInputError(`the matching distance of unit ${i + 1} is not a finite number`, {
        row: i + 1,
      });
    }
  }
  const caliper = options.caliperWidth;
  if (caliper !== undefined && !(caliper > 0 && Number.isFinite(caliper))) {
    throw new AttributionInputError(`the caliper must be a positive number; got ${caliper}`);
  }
  const treatedIdx = treated.flatMap((t, i) => (t ? [i] : []));
  if (treatedIdx.length === 0 || treatedIdx.length === n) {
    throw new AttributionInputError(
      `matching needs treated and control units; all ${n} units are ${treatedIdx.length ? 'treated' : 'controls'}`,
    );
  }

  const byDistance = (a: number, b: number) => distance[a]! - distance[b]! || a - b;
  const sorted = Int32Array.from({ length: n }, (_, i) => i).sort(byDistance);
  const position = new Int32Array(n);
  sorted.forEach((unit, p) => (position[unit] = p));

  const order = options.order ?? 'largest';
  const visit = [...treatedIdx];
  if (order === 'largest') visit.sort((a, b) => distance[b]! - distance[a]! || a - b);
  else if (order === 'smallest') visit.sort(byDistance);

  // Positions 1..n hold units; 0 and n + 1 are sentinels meaning "none on this side".
  const below = new SkipList(n + 2);
  const above = new SkipList(n + 2);
  const useUp = (p: number) => {
    below.skip(p + 1, p);
    above.skip(p + 1, p + 2);
  };
  sorted.forEach((unit, p) => {
    if (treated[unit]) useUp(p);
  });

  const pairs: MatchedPair[] = [];
  const matchedControl = new Uint8Array(n);
  const unmatchedTreated: number[] = [];
  for (const t of visit) {
    const p = position[t]! + 1;
    const lowPos = below.find(p - 1);
    const highPos = above.find(p + 1);
    const dt = distance[t]!;
    const eligible = (pos: number): number | null => {
      if (pos === 0 || pos === n + 1) return null;
      const unit = sorted[pos - 1]!;
      return caliper !== undefined && Math.abs(distance[unit]! - dt) > caliper ? null : unit;
    };
    const low = eligible(lowPos);
    const high = eligible(highPos);
    let chosen: number | null;
    if (low !== null && high !== null) {
      chosen = Math.abs(distance[low]! - dt) <= Math.abs(distance[high]! - dt) ? low : high;
    } else {
      chosen = low ?? high;
    }
    if (chosen === null) {
      unmatchedTreated.push(t);
      continue;
    }
    useUp(position[chosen]!);
    matchedControl[chosen] = 1;
    pairs.push({ treatedIndex: t, controlIndex: chosen, distance: Math.abs(distance[chosen]! - dt) });
  }
  const unmatchedControls = treated.flatMap((tr, i) => (!tr && !matchedControl[i] ? [i] : []));
  return { pairs, unmatchedTreated: unmatchedTreated.sort((a, b) => a - b), unmatchedControls };
}
