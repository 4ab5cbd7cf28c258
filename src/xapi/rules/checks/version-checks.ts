/**
 * The statement `version` property (xAPI Data 2.4.10).
 *
 * 1.0.3: "An LRS MUST reject all Statements with a version specified that does not start with
 * 1.0." — accepted: `1.0` and `1.0.x`.
 * 2.0 (IEEE 9274.1.1): 2.0 statements and 1.0.x statements are both accepted (`1.0`, `1.0.x`,
 * `2.0`, `2.0.x`); the ADL conformance suite for 2.0 accepts 1.0.9 and 2.0.0 and rejects 1.1.0.
 */
import { formatPath, type PathSegment } from '../json-path.js';
import { describe } from '../library-validation.js';
import { isJsonObject } from '../json.js';
import type { RuleError, XapiVersion } from '../types.js';

const ACCEPTED: Record<XapiVersion, RegExp> = {
  '1.0.3': /^1\.0(\.\d+)?$/,
  '2.0.0': /^(?:1\.0|2\.0)(\.\d+)?$/,
};

/** True when a statement version is accepted under the request's xAPI version. */
export function isAcceptedStatementVersion(value: unknown, version: XapiVersion): boolean {
  return typeof value === 'string' && ACCEPTED[version].test(value);
}

export function versionErrors(statement: unknown, root: PathSegment[], version: XapiVersion): RuleError[] {
  if (!isJsonObject(statement) || statement.version === undefined) return [];
  if (isAcceptedStatementVersion(statement.version, version)) return [];
  const allowed = version === '1.0.3' ? '"1.0.0" (any 1.0.x)' : '"2.0.0" (any 2.0.x or 1.0.x)';
  return [
    {
      path: formatPath([...root, 'version']),
      message: `${describe(statement.version)} is not an accepted statement version; use ${allowed}, or leave version out (xAPI Data 2.4.10)`,
    },
  ];
}
