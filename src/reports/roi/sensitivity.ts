import { StatsInputError } from '../stats/stats-input-error.js';
import {
  compare,
  multiply,
  ONE,
  rational,
  subtract,
  toRational,
  ZERO,
  type DecimalInput,
  type Rational,
} from './exact.js';
import { programRoi, type ProgramInput } from './program-roi.js';

/** One numeric assumption of a program that the sensitivity table varies. */
export interface Assumption {
  name: string;
  /** `fraction` assumptions (confidence, decay, benefits load) are capped at 1 when scaled up. */
  kind: 'amount' | 'fraction' | 'rate';
  /** Where the value sits in ProgramInput, e.g. ['benefit', 'items', 0, 'valuePerUnit']. */
  path: (string | number)[];
}

/** One cell: the assumption scaled by (1 + change/100) and the ROI that results. */
export interface SensitivityCell {
  changePercent: number;
  value: Rational;
  roiPercent: Rational;
  /** True when a fraction was capped at 1 (then the cell repeats the capped value). */
  capped: boolean;
}

/** A row per assumption; `swing` is the ROI range in percentage points across the row. */
export interface SensitivityRow {
  assumption: Assumption;
  cells: SensitivityCell[];
  minRoiPercent: Rational;
  maxRoiPercent: Rational;
  swing: Rational;
}

/** One-way sensitivity table; rows ordered by swing, largest first (a tornado chart's order). */
export interface SensitivityTable {
  baseRoiPercent: Rational;
  stepsPercent: number[];
  rows: SensitivityRow[];
}

/** The default grid: -50%, -25%, 0, +25%, +50% of each assumption. */
export const DEFAULT_STEPS_PERCENT = [-50, -25, 0, 25, 50];

/**
 * Every numeric assumption present in a program input: for each benefit item its units, value per
 * unit and confidence (if given); the discount rate and decay (if given); every cost amount, and for
 * participant time the hours, wage and benefits load. Counts (participants, offerings, horizon) are
 * design facts, not assumptions, and are not varied.
 */
export function programAssumptions(program: ProgramInput): Assumption[] {
  const list: Assumption[] = [];
  program.benefit.items.forEach((item, i) => {
    list.push({ name: `${item.label}: units`, kind: 'amount', path: ['benefit', 'items', i, 'units'] });
    list.push({
      name: `${item.label}: value per unit`,
      kind: 'amount',
      path: ['benefit', 'items', i, 'valuePerUnit'],
    });
    if (item.confidence !== undefined) {
      list.push({
        name: `${item.label}: confidence`,
        kind: 'fraction',
        path: ['benefit', 'items', i, 'confidence'],
      });
    }
  });
  if (program.benefit.discountRate !== undefined) {
    list.push({ name: 'Discount rate', kind: 'rate', path: ['benefit', 'discountRate'] });
  }
  if (program.benefit.annualDecay !== undefined) {
    list.push({ name: 'Annual decay of the effect', kind: 'fraction', path: ['benefit', 'annualDecay'] });
  }
  const cost = program.cost;
  if (cost.development)
    list.push({ name: 'Development cost', kind: 'amount', path: ['cost', 'development', 'total'] });
  for (const key of ['delivery', 'platform', 'facilitation', 'evaluation'] as const) {
    if (cost[key] !== undefined) list.push({ name: `Cost: ${key}`, kind: 'amount', path: ['cost', key] });
  }
  if (cost.participantTime) {
    list.push({
      name: 'Participant hours',
      kind: 'amount',
      path: ['cost', 'participantTime', 'hoursPerParticipant'],
    });
    list.push({ name: 'Hourly wage', kind: 'amount', path: ['cost', 'participantTime', 'hourlyWage'] });
    list.push({ name: 'Benefits load', kind: 'fraction', path: ['cost', 'participantTime', 'benefitsLoad'] });
  }
  cost.other?.forEach((o, i) =>
    list.push({ name: `Cost: ${o.label}`, kind: 'amount', path: ['cost', 'other', i, 'amount'] }),
  );
  return list;
}

/**
 * One-way sensitivity of ROI: each assumption in turn is multiplied by (1 + step/100) for every step
 * while the others stay at their base values, and the ROI % is recomputed exactly. It shows which
 * assumption the conclusion hinges on; it is not a confidence interval (see bootstrap-roi.ts for that).
 *
 * @param stepsPercent changes in percent, each greater than -100 (default -50..+50 by 25).
 * @throws StatsInputError for a step of -100 or less, or an invalid program.
 */
export function sensitivityTable(
  program: ProgramInput,
  stepsPercent: readonly number[] = DEFAULT_STEPS_PERCENT,
  assumptions: readonly Assumption[] = programAssumptions(program),
): SensitivityTable {
  for (const step of stepsPercent) {
    if (!Number.isFinite(step) || step <= -100) {
      throw new StatsInputError(
        'stepsPercent',
        `each step must be a number above -100 (percent), got ${step}.`,
      );
    }
  }
  const baseRoiPercent = programRoi(program).roi.roiPercent;
  const rows = assumptions.map((assumption): SensitivityRow => {
    const base = toRational(readPath(program, assumption.path) as DecimalInput, assumption.name);
    const cells = stepsPercent.map((changePercent): SensitivityCell => {
      let value = multiply(base, add1(toRational(changePercent)));
      let capped = false;
      if (assumption.kind === 'fraction' && compare(value, ONE) > 0) {
        value = ONE;
        capped = true;
      }
      const varied = writePath(program, assumption.path, value);
      return { changePercent, value, roiPercent: programRoi(varied).roi.roiPercent, capped };
    });
    const sorted = cells.map((c) => c.roiPercent).sort(compare);
    const minRoiPercent = sorted[0] ?? ZERO;
    const maxRoiPercent = sorted[sorted.length - 1] ?? ZERO;
    return { assumption, cells, minRoiPercent, maxRoiPercent, swing: subtract(maxRoiPercent, minRoiPercent) };
  });
  rows.sort((a, b) => compare(b.swing, a.swing));
  return { baseRoiPercent, stepsPercent: [...stepsPercent], rows };
}

function add1(percent: Rational): Rational {
  return multiply(rational(percent.num + 100n * percent.den, percent.den), rational(1n, 100n));
}

function readPath(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

function writePath<T>(root: T, path: readonly (string | number)[], value: Rational): T {
  const [head, ...rest] = path;
  if (head === undefined) return value as T;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = writePath((root as Record<string | number, unknown>)[head], rest, value);
  return copy as T;
}
