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

/**
 * Writes `seconds` as an ISO 8601 duration (xAPI Data 4.6) with seconds to two decimals:
 * 3725.5 -> "PT1H2M5.5S", 59.999 -> "PT1M0S" (rounded before splitting, so never "PT60S"); negative
 * input counts as 0. The one writer of durations for the app, the demo data and the generator.
 */
export function isoDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 100) / 100);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.round((total - h * 3600 - m * 60) * 100) / 100;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s}S`;
}

/**
 * Seconds of a valid duration (see isIsoDuration), undefined for anything else. Days are 24 h, weeks
 * 7 days; years (365 days) and months (30 days) are approximations, as no date anchors them.
 */
export function durationSeconds(value: unknown): number | undefined {
  if (!isIsoDuration(value)) return undefined;
  const n = (c: string | undefined) => (c === undefined ? 0 : Number(c.replace(',', '.')));
  const weeks = WEEKS.exec(value);
  if (weeks) return n(weeks[1]) * 7 * 86400;
  const [, y, mo, d, h, mi, s] = FULL.exec(value)!;
  return ((n(y) * 365 + n(mo) * 30 + n(d)) * 24 + n(h)) * 3600 + n(mi) * 60 + n(s);
}
