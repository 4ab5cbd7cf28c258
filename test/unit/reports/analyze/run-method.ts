import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../../../src/errors.js';
import { analyze, type AnalyzeMethod, type AnalyzeOutput } from '../../../../src/reports/analyze/method.js';

export const fixturesDir = path.resolve(import.meta.dirname, '..', '..', '..', 'fixtures', 'analyze');

/** Text of a file in test/fixtures/analyze. */
export function fixture(name: string): string {
  return readFileSync(path.join(fixturesDir, name), 'utf8');
}

/** Runs a method on a JSON object. */
export function runJson<I, R>(
  method: AnalyzeMethod<I, R>,
  value: unknown,
  settings: Record<string, unknown> = {},
): AnalyzeOutput<R> {
  return analyze(method, { text: JSON.stringify(value), format: 'json', source: 'input.json' }, settings);
}

/** Runs a method on CSV text. */
export function runCsv<I, R>(
  method: AnalyzeMethod<I, R>,
  text: string,
  settings: Record<string, unknown> = {},
): AnalyzeOutput<R> {
  return analyze(method, { text, format: 'csv', source: 'input.csv' }, settings);
}

/** Asserts that `run` throws a ValidationError and returns it for further checks. */
export function validationError(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ValidationError, but the input was accepted');
}
