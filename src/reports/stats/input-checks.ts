import { StatsInputError } from './stats-input-error.js';

/** A numeric sample: a plain array or a typed array. */
export type NumericSample = ArrayLike<number>;

/**
 * Checks that `x` has at least `minimum` values and that every value is finite.
 *
 * @throws StatsInputError naming `argument`, the size needed, and the first bad index.
 */
export function assertFiniteSample(x: NumericSample, argument: string, minimum = 1): void {
  if (x.length < minimum) {
    const got = x.length === 0 ? 'it is empty' : `it has ${x.length}`;
    throw new StatsInputError(argument, `${argument} needs at least ${minimum} value(s) but ${got}.`);
  }
  for (let i = 0; i < x.length; i += 1) {
    if (!Number.isFinite(x[i])) {
      throw new StatsInputError(
        argument,
        `${argument}[${i}] is ${String(x[i])}; remove missing or non-numeric values before calling.`,
      );
    }
  }
}

/** Checks that a single number is finite. */
export function assertFinite(value: number, argument: string): void {
  if (!Number.isFinite(value)) {
    throw new StatsInputError(argument, `${argument} must be a finite number, got ${String(value)}.`);
  }
}

/**
 * Checks a two-sided confidence level: strictly between 0 and 1 (0.95 means 95%).
 *
 * @throws StatsInputError when the level is given as a percentage (95) or is outside (0, 1).
 */
export function assertConfidence(confidence: number, argument = 'confidence'): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new StatsInputError(
      argument,
      `${argument} must be strictly between 0 and 1 (0.95 for 95%), got ${String(confidence)}.`,
    );
  }
}

/** Checks a probability strictly between 0 and 1 (significance level, power, proportion). */
export function assertOpenProbability(p: number, argument: string): void {
  if (!(p > 0 && p < 1)) {
    throw new StatsInputError(argument, `${argument} must be strictly between 0 and 1, got ${String(p)}.`);
  }
}

/** Checks a non-negative integer count. */
export function assertCount(value: number, argument: string, minimum = 0): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new StatsInputError(
      argument,
      `${argument} must be a whole number of at least ${minimum}, got ${String(value)}.`,
    );
  }
}
