/** Exact fractions (roi/exact.ts) written for JSON and for people. */
import { multiply, toFixed, toNumber, toRational, type Rational } from '../roi/exact.js';

/** An exact value: the fraction ("650/3"), the display rounding ("216.7") and the nearest double. */
export interface ExactJson {
  exact: string;
  display: string;
  value: number;
}

/** Writes a fraction with `decimals` digits for display (halves away from zero). */
export function exactJson(r: Rational, decimals = 2): ExactJson {
  return {
    exact: r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`,
    display: toFixed(r, decimals),
    value: toNumber(r),
  };
}

/**
 * The product of two plain decimals, written as an exact decimal string ("1.5" x "12.25" = "18.375").
 * A product of terminating decimals terminates within the sum of their decimal places.
 */
export function decimalProduct(a: string, b: string): string {
  const places = (text: string) => {
    const [mantissa = '', exponent = '0'] = text.toLowerCase().split('e');
    return Math.max(0, (mantissa.split('.')[1] ?? '').length - Number(exponent));
  };
  return toFixed(multiply(toRational(a), toRational(b)), places(a) + places(b));
}
