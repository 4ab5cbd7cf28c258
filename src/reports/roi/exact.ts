import { StatsInputError } from '../stats/stats-input-error.js';

/**
 * An exact rational number: num / den with den > 0 and the fraction in lowest terms. Money and ROI are
 * computed with these so that worked examples reproduce exactly (0.1 + 0.2 is 3/10, not
 * 0.30000000000000004) and rounding happens once, for display.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** A decimal amount as the caller has it: a number (read as its shortest decimal form), a string, or exact. */
export type DecimalInput = number | string | Rational;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Builds num/den in lowest terms. @throws StatsInputError when den is 0. */
export function rational(num: bigint, den = 1n): Rational {
  if (den === 0n) throw new StatsInputError('den', 'a fraction cannot have a zero denominator.');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num < 0n ? -num : num, den < 0n ? -den : den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/**
 * Reads a decimal exactly. A number is taken by its shortest round-trip decimal form (`String(x)`), so
 * 0.1 means one tenth and 12.35 means 1235/100, which is what a person typed. Strings may use a decimal
 * point and an exponent ("1250.50", "2.5e3"); thousands separators are not accepted.
 *
 * @param argument name used in the error message.
 * @throws StatsInputError for NaN, infinities and strings that are not plain decimals.
 */
export function toRational(value: DecimalInput, argument = 'value'): Rational {
  if (typeof value === 'object') return rational(value.num, value.den);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new StatsInputError(argument, `${argument} must be a finite number, got ${value}.`);
  }
  const text = String(value).trim();
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new StatsInputError(
      argument,
      `${argument} must be a plain decimal number such as 1250.50, got "${text}".`,
    );
  }
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let num = BigInt((whole || '0') + fraction) * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(fraction.length);
  const e = Number(exponent);
  if (e >= 0) num *= 10n ** BigInt(e);
  else den *= 10n ** BigInt(-e);
  return rational(num, den);
}

export const ZERO = rational(0n);
export const ONE = rational(1n);

/** a + b, exact. */
export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** a - b, exact. */
export function subtract(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

/** a x b, exact. */
export function multiply(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/** a / b. @throws StatsInputError when b is zero. */
export function divide(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new StatsInputError('divisor', 'cannot divide by zero.');
  return rational(a.num * b.den, a.den * b.num);
}

/** a^k for a whole k (negative k inverts). */
export function power(a: Rational, k: number): Rational {
  if (!Number.isInteger(k)) throw new StatsInputError('k', `exponent must be a whole number, got ${k}.`);
  const e = BigInt(Math.abs(k));
  const r = rational(a.num ** e, a.den ** e);
  return k < 0 ? divide(ONE, r) : r;
}

/** Exact sum; 0 for an empty list. */
export function sum(values: readonly Rational[]): Rational {
  return values.reduce(add, ZERO);
}

/** -1, 0 or 1. */
export function compare(a: Rational, b: Rational): number {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Nearest double (correct to well under one unit in the last place for display and charts). */
export function toNumber(r: Rational): number {
  return Number(toFixed(r, 20));
}

/**
 * Exact decimal rounding for display: `decimals` digits after the point, halves rounded away from zero
 * (216.666... -> "216.7"; 162.5 -> "163" with 0 decimals).
 */
export function toFixed(r: Rational, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0) {
    throw new StatsInputError('decimals', `decimals must be a whole number of at least 0, got ${decimals}.`);
  }
  const negative = r.num < 0n;
  const scale = 10n ** BigInt(decimals);
  const scaled = (negative ? -r.num : r.num) * scale;
  let q = scaled / r.den;
  if ((scaled % r.den) * 2n >= r.den) q += 1n;
  const digits = q.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative && q !== 0n ? '-' : ''}${whole}${fraction}`;
}

/** Amount in whole cents, rounded half away from zero, as a bigint (for exact comparisons and storage). */
export function toCents(r: Rational): bigint {
  return BigInt(toFixed(multiply(r, rational(100n)), 0));
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
