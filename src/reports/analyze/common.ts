/** Pieces shared by the analyze methods: common settings, their options, and number formatting. */
import { z } from 'zod';
import type { MethodOption } from './method.js';

/** A two-sided confidence level strictly between 0 and 1. */
export const confidenceSchema = z
  .number()
  .gt(0, 'confidence must be between 0 and 1 (0.95 for 95%)')
  .lt(1, 'confidence must be between 0 and 1 (0.95 for 95%)');

/** A seed for the xoshiro128** generator: a whole number (recorded in the output to rerun it). */
export const seedSchema = z.number().int('seed must be a whole number').min(0, 'seed cannot be negative');

/** A finite number (JSON numbers are always finite; this names the expectation in messages). */
export const finite = (what = 'a number') => z.number({ error: `expected ${what}` });

export const CONFIDENCE_OPTION: MethodOption = {
  flags: '--confidence <level>',
  description: 'two-sided confidence level, default 0.95',
  key: 'confidence',
  type: 'number',
};

export const SEED_OPTION: MethodOption = {
  flags: '--seed <n>',
  description: 'seed of the random number generator, default 1; the same seed gives the same answer',
  key: 'seed',
  type: 'number',
};

/** A number for the terminal: `digits` significant decimals, trailing zeros kept for alignment. */
export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return 'n/a';
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) && Math.abs(value) < 1e15 ? String(value) : value.toFixed(digits);
}

/** A proportion as a percentage with one decimal: 0.4567 -> "45.7%". */
export function pct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return 'n/a';
  return `${(value * 100).toFixed(digits)}%`;
}

/** "[lower, upper]" with the level: "95% CI [1.2000, 3.4000]". */
export function interval(lower: number, upper: number, confidence: number, digits = 4): string {
  return `${Math.round(confidence * 1000) / 10}% CI [${lower.toFixed(digits)}, ${upper.toFixed(digits)}]`;
}

/** A p-value for the terminal: "< 0.0001" below that, else four decimals. */
export function pValue(p: number): string {
  return p < 1e-4 ? '< 0.0001' : p.toFixed(4);
}

/** A yes/no field: true/false, or 1/0 as R and spreadsheets export it. */
export const flagSchema = z
  .union([z.boolean(), z.literal(0), z.literal(1)], { error: 'expected true/false (or 1/0)' })
  .transform((v) => v === true || v === 1);
