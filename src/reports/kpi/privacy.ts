/**
 * The privacy rule of every KPI: an aggregate over fewer than `minimum` learners is not shown (pages,
 * charts, exports). Wellbeing and mental-health programs are measured here, and a rate over 3 people
 * tells a manager too much about each of them.
 */
export interface Suppressed {
  suppressed: true;
  /** Learners behind the aggregate; shown only as "fewer than {minimum}". */
  minimum: number;
}

/** True when an aggregate over `n` learners must be withheld. n = 0 is "no data", not suppressed. */
export function isSuppressed(n: number, minimum: number): boolean {
  return n > 0 && n < minimum;
}
