import type { ValueUnit } from './chart-model.js';

/**
 * The one place chart numbers become text. Tables, bar labels, descriptions and alt text all call these,
 * so the same value reads the same everywhere. Locale is fixed (en-US) so output is deterministic.
 */

const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A proportion in [0, 1] as a percentage with one decimal: 0.7234 -> "72.3%". */
export function formatPercent(proportion: number): string {
  return `${oneDecimal.format(proportion * 100)}%`;
}

/** A percentage already on the 0-100 scale with one decimal: 42.25 -> "42.3%". */
export function formatPercentPoints(percent: number): string {
  return `${oneDecimal.format(percent)}%`;
}

/** Minutes with one decimal and the unit: 12.345 -> "12.3 min". */
export function formatMinutes(minutes: number): string {
  return `${oneDecimal.format(minutes)} min`;
}

/** Whole currency units: 12345.6 -> "$12,346"; negatives keep their sign: "-$1,200". */
export function formatMoney(amount: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  }).format(amount);
}

/** A count with thousands separators: 1234 -> "1,234". */
export function formatCount(count: number): string {
  return wholeNumber.format(count);
}

/** A score in points with its sign, e.g. NPS: 35 -> "+35", -4 -> "-4". */
export function formatPoints(points: number): string {
  const rounded = Math.round(points);
  return rounded > 0 ? `+${rounded}` : String(rounded === 0 ? 0 : rounded);
}

/** Formats a value by its unit; `currency` applies to money only. */
export function formatValue(value: number, unit: ValueUnit, currency?: string): string {
  switch (unit) {
    case 'proportion':
      return formatPercent(value);
    case 'minutes':
      return formatMinutes(value);
    case 'money':
      return formatMoney(value, currency);
    case 'count':
      return formatCount(value);
    case 'points':
      return formatPoints(value);
  }
}

/** An interval as "lower to upper" in the value's unit. */
export function formatInterval(lower: number, upper: number, unit: ValueUnit, currency?: string): string {
  return `${formatValue(lower, unit, currency)} to ${formatValue(upper, unit, currency)}`;
}

/** A confidence level as a whole percentage label: 0.95 -> "95%". */
export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 1000) / 10}%`;
}

/** d3-format string for axis ticks in a unit (ticks are scale guides, not data, so vega formats them). */
export function axisFormat(unit: ValueUnit, currency = 'USD'): string {
  switch (unit) {
    case 'proportion':
      return '.0%';
    case 'money':
      return currency === 'USD' ? '$,.0f' : ',.0f';
    case 'minutes':
    case 'count':
      return ',.0f';
    case 'points':
      return '+,.0f';
  }
}

const dateFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});

/**
 * An ISO calendar date (YYYY-MM-DD) as "Mar 2, 2026", read and written in UTC so the server's time zone
 * never shifts a week.
 *
 * @throws Error when `isoDate` is not a valid YYYY-MM-DD date.
 */
export function formatDate(isoDate: string): string {
  return dateFormat.format(parseIsoDate(isoDate));
}

/** Parses YYYY-MM-DD as midnight UTC. @throws Error for any other shape or an impossible date. */
export function parseIsoDate(isoDate: string): Date {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(isoDate) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== isoDate
  ) {
    throw new Error(`"${isoDate}" is not a calendar date; write dates as YYYY-MM-DD, e.g. 2026-03-02.`);
  }
  return date;
}
