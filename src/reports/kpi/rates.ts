import { wilsonInterval, type ProportionInterval } from '../stats/wilson.js';
import { isSuppressed } from './privacy.js';

/** A share of learners with its Wilson interval, or why it is not shown. */
export type Rate =
  | ({ status: 'shown' } & ProportionInterval)
  | { status: 'empty'; successes: 0; trials: 0 }
  | { status: 'suppressed'; minimum: number };

/**
 * A rate of learners (completion, mastery, enrollment) with its 95% Wilson interval
 * (reports/stats/wilson.ts). The denominator is stated by the caller: assigned learners for
 * completion, scored learners for mastery. Empty when nobody is in the denominator; suppressed when
 * fewer than `minimum` are.
 */
export function learnerRate(successes: number, trials: number, minimum: number): Rate {
  if (trials === 0) return { status: 'empty', successes: 0, trials: 0 };
  if (isSuppressed(trials, minimum)) return { status: 'suppressed', minimum };
  return { status: 'shown', ...wilsonInterval(successes, trials) };
}
