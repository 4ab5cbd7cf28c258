import { findMetric } from '../../outcomes/metrics.js';

/**
 * The one place the program pages turn numbers, dates and codes into text for people: currency in
 * whole units ("$24,915"), percentages with sensible precision ("212%", "4.5%"), counts with
 * separators, dates as "Dec 7, 2026". The locale is fixed ('en-US' unless given) so pages are
 * deterministic. Inputs may be the exact decimal strings the ROI calculators return.
 */
const LOCALE = 'en-US';

type Numeric = string | number;

const num = (x: Numeric) => (typeof x === 'number' ? x : Number(x));

/** Whole currency units: "24915.30" -> "$24,915"; negatives keep their sign ("-$1,200"). */
export function formatMoney(amount: Numeric, currency = 'USD', locale = LOCALE): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    num(amount),
  );
}

/** Currency with cents, for per-unit values and "every $1 returned $3.12": 3.1234 -> "$3.12". */
export function formatMoneyCents(amount: Numeric, currency = 'USD', locale = LOCALE): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(num(amount));
}

/**
 * A percentage already on the 0-100 scale (ROI % as the report gives it): whole percent from 10 up
 * ("212.1" -> "212%"), one decimal below ("4.55" -> "4.6%").
 */
export function formatPercent(percent: Numeric, locale = LOCALE): string {
  const p = num(percent);
  const digits = Math.abs(p) < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(p)}%`;
}

/** A rate in [0, 1] as a percentage: 0.05 -> "5%". */
export function formatRate(rate: Numeric, locale = LOCALE): string {
  return formatPercent(num(rate) * 100, locale);
}

/** A difference of percentages: 185 -> "185 percentage points", 1 -> "1 percentage point". */
export function formatPercentagePoints(points: Numeric, locale = LOCALE): string {
  const p = num(points);
  return `${formatQuantity(p, locale)} percentage point${Math.abs(p) === 1 ? '' : 's'}`;
}

/** A count with separators: 1234 -> "1,234". */
export function formatCount(count: Numeric, locale = LOCALE): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(num(count));
}

/**
 * A measured quantity with about three significant digits and never more than two decimals:
 * 0.7567576 -> "0.76", 12.345 -> "12.3", 161.7136 -> "162", 0.0012 -> "0".
 */
export function formatQuantity(value: Numeric, locale = LOCALE): string {
  const v = num(value);
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v);
}

/** A unit's name for an amount: ("day", 2) -> "days", ("claim per year", 2) -> "claims per year". */
export function unitName(unit: string, amount: number): string {
  if (Math.abs(amount) === 1 || unit.endsWith('s')) return unit;
  const [head, ...rest] = unit.split(' per ');
  return [`${head}s`, ...rest].join(' per ');
}

/** An amount of a unit; dollars become money: (0.757, "percentage point") -> "0.76 percentage points". */
export function formatAmountOf(value: Numeric, unit: string, currency = 'USD', locale = LOCALE): string {
  const v = num(value);
  if (unit === 'dollar') return formatMoneyCents(v, currency, locale);
  const text = formatQuantity(v, locale);
  return `${text} ${unitName(unit, text === '1' ? 1 : 2)}`;
}

/** Years of a horizon: 1 -> "1 year", 2 -> "2 years". */
export function formatYears(years: number): string {
  return `${formatCount(years)} year${years === 1 ? '' : 's'}`;
}

/** Months: "4.0" -> "4 months", 1 -> "1 month", "4.5" -> "4.5 months". */
export function formatMonths(months: Numeric): string {
  const m = num(months);
  return `${formatQuantity(m)} month${m === 1 ? '' : 's'}`;
}

/**
 * A calendar date as people write it: "2026-12-07", an ISO timestamp or a Date -> "Dec 7, 2026".
 * A plain date is read as that calendar day (UTC), never shifted by the server's time zone.
 */
export function formatDate(value: string | Date, locale = LOCALE): string {
  const date =
    typeof value === 'string'
      ? new Date(/^\d{4}-\d\d-\d\d$/.test(value) ? `${value}T00:00:00Z` : value)
      : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** A date, or the words for its absence: null -> "unknown". */
export function formatDateOr(value: string | Date | null | undefined, absent = 'unknown'): string {
  return value ? formatDate(value) : absent;
}

/** A span of days: ("2025-05-01", "2025-05-31") -> "May 1, 2025 to May 31, 2025"; no end -> "from May 1, 2025". */
export function formatDateSpan(start: string, end: string | null | undefined): string {
  return end ? `${formatDate(start)} to ${formatDate(end)}` : `from ${formatDate(start)}`;
}

/** The label of an outcome code ("deferral_pct" -> "401(k) deferral rate"); unknown codes in words. */
export function outcomeLabel(code: string): string {
  return findMetric(code)?.label ?? code.replace(/_/g, ' ');
}

/**
 * Text written by the domain (warnings, stored notes) with every known outcome code replaced by its
 * label, so "The effect on absence_days ..." reads "The effect on Absence days ...". Stored snapshots
 * keep their old wording; this reads them the same way.
 */
export function withOutcomeLabels(text: string): string {
  return text.replace(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g, (code) => {
    const label = findMetric(code)?.label;
    if (!label) return code;
    return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
  });
}

/**
 * A duration in minutes as people say it: 17.4 -> "17 min", 65 -> "1 h 5 min", 0.4 -> "under 1 min".
 * Whole minutes: a report's time on task is an estimate, not a stopwatch reading.
 */
export function formatDuration(minutes: Numeric): string {
  const m = Math.round(num(minutes));
  if (num(minutes) < 0.5) return 'under 1 min';
  if (m < 60) return `${m} min`;
  const rest = m % 60;
  return `${Math.floor(m / 60)} h${rest ? ` ${rest} min` : ''}`;
}

/** A range of durations: (8.2, 15) -> "8–15 min"; equal ends -> "8 min"; mixed units in full. */
export function formatDurationRange(low: Numeric, high: Numeric): string {
  const [a, b] = [formatDuration(low), formatDuration(high)];
  if (a === b) return a;
  if (/^\d+ min$/.test(a) && /^\d+ min$/.test(b)) return `${a.replace(' min', '')}–${b}`;
  return `${a} to ${b}`;
}

/** A moment as people read it, in UTC: a Date -> "Dec 7, 2026, 7:34 PM UTC". */
export function formatDateTime(value: Date, locale = LOCALE): string {
  if (Number.isNaN(value.getTime())) return 'unknown';
  const text = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(value);
  return `${text} UTC`;
}

/** A change in percentage points with its sign: 24.26 -> "+24 points", -3.46 -> "-3.5 points", 1 -> "+1 point". */
export function formatChangePoints(points: Numeric, locale = LOCALE): string {
  const p = num(points);
  const text = new Intl.NumberFormat(locale, { maximumFractionDigits: Math.abs(p) >= 10 ? 0 : 1 }).format(p);
  const sign = p > 0 ? '+' : '';
  return `${sign}${text} point${text === '1' || text === '-1' ? '' : 's'}`;
}

/** A proportion in [0, 1] as a whole-ish percentage, or words when it is missing: null -> "no data". */
export function formatRateOr(rate: number | null | undefined, absent = 'no data'): string {
  return rate === null || rate === undefined || Number.isNaN(rate) ? absent : formatRate(rate);
}
