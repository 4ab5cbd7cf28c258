/**
 * ISO 8601 durations (xAPI Data 4.6): "A Duration MUST be expressed using the format for Duration in
 * ISO 8601:2004(E) section 4.4.3.2. The alternative format (section 4.4.3.3) MUST NOT be used."
 *
 * Accepted: `PnYnMnDTnHnMnS` with any subset of components (at least one, and at least one after a
 * `T`), or `PnW` alone ("weeks cannot be combined with other time periods. 'P4W1D' is not valid").
 * Only the last component present may carry a decimal fraction (`.` or `,`), as ISO 8601 allows.
 * Rejected: negative durations, the alternative format (`P0003-06-04T12:30:05`), `P`, `PT`.
 */

const NUM = '(\\d+(?:[.,]\\d+)?)';
const WEEKS = new RegExp(`^P${NUM}W$`);
const FULL = new RegExp(`^P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`);

/** True when `value` is a valid ISO 8601:2004 section 4.4.3.2 duration string. */
export function isIsoDuration(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (WEEKS.test(value)) return true;
  const match = FULL.exec(value);
  if (!match) return false;
  const components = match.slice(1);
  const present = components.filter((c): c is string => c !== undefined);
  if (present.length === 0) return false;
  if (value.includes('T') && components.slice(3).every((c) => c === undefined)) return false;
  // Only the lowest-order component given may have a fraction.
  return present.slice(0, -1).every((c) => !/[.,]/.test(c));
}
