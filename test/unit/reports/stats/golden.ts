import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** Tolerances from STYLE.md: closed forms to 1e-8, iterative fits and root solves to 1e-6. */
export const CLOSED_FORM = 1e-8;
export const ITERATIVE = 1e-6;

/** Reads test/fixtures/golden/stats-core/<name>.json, written by test/fixtures/r/stats-core.R. */
export function readGolden<T>(name: string): T {
  const url = new URL(`../../../fixtures/golden/stats-core/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/**
 * Asserts |actual - expected| <= tolerance * max(1, |expected|): absolute near zero, relative for large
 * values (a 1e-8 tolerance on a mean of 5,000 dollars means 5e-5 dollars).
 */
export function assertClose(
  actual: number | null,
  expected: number | null,
  tolerance: number,
  label: string,
): void {
  if (expected === null) {
    assert.equal(actual, null, `${label}: expected null, got ${actual}`);
    return;
  }
  assert.ok(actual !== null && Number.isFinite(actual), `${label}: expected ${expected}, got ${actual}`);
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tolerance * scale,
    `${label}: expected ${expected}, got ${actual} (difference ${actual - expected}, tolerance ${tolerance * scale})`,
  );
}
