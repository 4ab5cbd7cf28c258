import assert from 'node:assert/strict';
import type { RuleError, XapiVersion } from '../../../../src/xapi/rules/types.js';
import { validateStatement } from '../../../../src/xapi/rules/validate-statement.js';

export const VERSIONS: XapiVersion[] = ['1.0.3', '2.0.0'];

export function errorsOf(statement: unknown, version: XapiVersion): RuleError[] {
  const result = validateStatement(statement, { version });
  return result.ok ? [] : result.errors;
}

export function assertAccepted(statement: unknown, version: XapiVersion): void {
  assert.deepEqual(errorsOf(statement, version), []);
}

/** Asserts an error at exactly `path` (and, if given, a message containing `text`). */
export function assertRejectedAt(
  statement: unknown,
  version: XapiVersion,
  path: string,
  text?: string,
): void {
  const errors = errorsOf(statement, version);
  const hit = errors.find((e) => e.path === path && (text === undefined || e.message.includes(text)));
  assert.ok(
    hit,
    `expected an error at ${path}${text ? ` mentioning "${text}"` : ''}; got ${JSON.stringify(errors, null, 1)}`,
  );
}
