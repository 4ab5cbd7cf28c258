/**
 * Statement validation for the LRS (xAPI 1.0.3 and IEEE 9274.1.1 xAPI 2.0).
 *
 * xapi-validation checks the statement model (properties, types, IRIs, identifiers, groups,
 * interactions, scores, voiding, SubStatements, authority, attachments); `checks/` adds what it
 * misses or gets wrong. Every error is collected; none stops the others. docs/xapi-rules.md lists
 * which rule comes from where.
 */
import { componentIdErrors } from './checks/activity-checks.js';
import { groupMemberErrors, objectTypeOmittedErrors } from './checks/agent-checks.js';
import { contextAgentErrors } from './checks/context-agent-checks.js';
import {
  attachmentErrors,
  durationErrors,
  scoreErrors,
  sha1sumErrors,
  timestampErrors,
  uuidErrors,
} from './checks/data-type-checks.js';
import { indexedLengthErrors } from './checks/index-length-checks.js';
import { languageErrors } from './checks/language-checks.js';
import { versionErrors } from './checks/version-checks.js';
import { normalizeUuid } from './data-types/uuid.js';
import { isJsonObject } from './json.js';
import { formatPath, type PathSegment } from './json-path.js';
import { libraryStatementErrors } from './library-validation.js';
import type { RuleError, RuleResult, XapiVersion } from './types.js';

export interface ValidateOptions {
  /** The request's xAPI version (X-Experience-API-Version header). */
  version: XapiVersion;
  /** Path prefix for messages; default `['statement']`. Batches use `['statements', i]`. */
  root?: PathSegment[];
}

/**
 * Validates one statement as received (before the LRS adds id, stored, authority, version).
 * `statement` is parsed JSON; numbers may be plain or LosslessNumbers.
 *
 * @returns `{ ok: true }`, or every error found, each with the JSON path of the offending value
 * (`statement.actor.mbox`) and a message saying what to send instead, ordered by path.
 */
export function validateStatement(statement: unknown, options: ValidateOptions): RuleResult {
  const root = options.root ?? ['statement'];
  const { version } = options;
  if (!isJsonObject(statement)) {
    return {
      ok: false,
      errors: [
        { path: formatPath(root), message: 'a statement must be a JSON object with actor, verb and object' },
      ],
    };
  }
  const omitted = objectTypeOmittedErrors(statement, root);
  const library = relocate(libraryStatementErrors(statement, version), root).filter(
    (error) => !omitted.suppress.some((prefix) => isUnder(error.path, prefix)),
  );
  const extra: RuleError[] = [
    ...omitted.errors,
    ...versionErrors(statement, root, version),
    ...uuidErrors(statement, root),
    ...timestampErrors(statement, root, version),
    ...durationErrors(statement, root),
    ...sha1sumErrors(statement, root),
    ...scoreErrors(statement, root),
    ...attachmentErrors(statement, root),
    ...languageErrors(statement, root),
    ...groupMemberErrors(statement, root),
    ...componentIdErrors(statement, root),
    ...indexedLengthErrors(statement, root),
    ...(version === '2.0.0' ? contextAgentErrors(statement, root) : []),
  ];
  return finish([...library, ...extra]);
}

/**
 * Validates the body of a POST: one statement or an array of them. Besides each statement's own
 * rules, rejects two statements with the same id in one batch (xAPI Communication 2.1.2:
 * "SHOULD* reject the batch and return 400 Bad Request"). Paths are `statements[i]...` for arrays.
 */
export function validateStatementBatch(body: unknown, options: { version: XapiVersion }): RuleResult {
  if (!Array.isArray(body)) return validateStatement(body, options);
  const errors: RuleError[] = [];
  const firstIndexById = new Map<string, number>();
  body.forEach((statement, index) => {
    const result = validateStatement(statement, { ...options, root: ['statements', index] });
    if (!result.ok) errors.push(...result.errors);
    if (isJsonObject(statement) && typeof statement.id === 'string') {
      const id = normalizeUuid(statement.id);
      const first = firstIndexById.get(id);
      if (first === undefined) firstIndexById.set(id, index);
      else {
        errors.push({
          path: formatPath(['statements', index, 'id']),
          message: `repeats the id of statements[${first}]; each statement in a batch needs its own id (xAPI Communication 2.1.2)`,
        });
      }
    }
  });
  return finish(errors);
}

/** xapi-validation always reports from `statement`; move its paths under the caller's root. */
function relocate(errors: RuleError[], root: PathSegment[]): RuleError[] {
  const prefix = formatPath(root);
  if (prefix === 'statement') return errors;
  return errors.map((error) => ({ ...error, path: prefix + error.path.slice('statement'.length) }));
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '.') || path.startsWith(prefix + '[');
}

function finish(errors: RuleError[]): RuleResult {
  const seen = new Set<string>();
  const unique = errors.filter((error) => {
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length === 0) return { ok: true };
  unique.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: false, errors: unique };
}
