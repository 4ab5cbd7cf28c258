/**
 * Format checks that replace xapi-validation's looser ones: UUIDs, timestamps, durations,
 * mbox_sha1sum, attachment sha2/length, and score min < max.
 */
import { isIsoDuration } from '../data-types/duration.js';
import { isSha1Hex } from '../data-types/mbox.js';
import { parseTimestamp } from '../data-types/timestamp.js';
import { isUuid } from '../data-types/uuid.js';
import { canonicalNumber, isJsonNumber, isJsonObject } from '../json.js';
import { formatPath, type PathSegment } from '../json-path.js';
import { describe } from '../library-validation.js';
import { collectAgents, statementParts } from '../statement-walk.js';
import type { RuleError, XapiVersion } from '../types.js';

const UUID_HINT =
  'a UUID in standard form: 32 hex digits as 8-4-4-4-12, e.g. "3a1c7e52-9b0d-4f6e-8a2b-5c4d3e2f1a0b" (xAPI Data 4.4)';

/** xAPI Data 4.4, 2.4.1: every UUID-typed value is a UUID in standard string form. */
export function uuidErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  const check = (value: unknown, path: PathSegment[]): void => {
    if (value !== undefined && !isUuid(value)) {
      errors.push({ path: formatPath(path), message: `${describe(value)} is not ${UUID_HINT}` });
    }
  };
  for (const part of statementParts(statement, root)) {
    const s = part.node;
    if (!part.sub) check(s.id, [...part.path, 'id']);
    if (isJsonObject(s.object) && s.object.objectType === 'StatementRef')
      check(s.object.id, [...part.path, 'object', 'id']);
    if (isJsonObject(s.context)) {
      check(s.context.registration, [...part.path, 'context', 'registration']);
      if (isJsonObject(s.context.statement))
        check(s.context.statement.id, [...part.path, 'context', 'statement', 'id']);
    }
  }
  return errors;
}

/** xAPI Data 4.5: timestamp and stored are ISO 8601 timestamps (2.0: with a time zone). */
export function timestampErrors(statement: unknown, root: PathSegment[], version: XapiVersion): RuleError[] {
  const errors: RuleError[] = [];
  for (const part of statementParts(statement, root)) {
    const keys = part.sub ? ['timestamp'] : ['timestamp', 'stored'];
    for (const key of keys) {
      const value = part.node[key];
      if (value === undefined) continue;
      const parsed = parseTimestamp(value, version);
      if (!parsed.ok)
        errors.push({ path: formatPath([...part.path, key]), message: `${parsed.message} (xAPI Data 4.5)` });
    }
  }
  return errors;
}

/** xAPI Data 4.6: result.duration is an ISO 8601:2004 4.4.3.2 duration. */
export function durationErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  for (const part of statementParts(statement, root)) {
    const result = part.node.result;
    if (!isJsonObject(result) || result.duration === undefined || isIsoDuration(result.duration)) continue;
    errors.push({
      path: formatPath([...part.path, 'result', 'duration']),
      message: `${describe(result.duration)} is not an ISO 8601 duration such as "PT1H30M" or "PT45.5S" or "P4W" (weeks cannot be combined with other units; xAPI Data 4.6)`,
    });
  }
  return errors;
}

/** xAPI Data 2.4.2.3: mbox_sha1sum is the hex-encoded SHA-1 of a mailto IRI (40 hex digits). */
export function sha1sumErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  for (const agent of collectAgents(statement, root)) {
    const value = agent.node.mbox_sha1sum;
    if (value === undefined || isSha1Hex(value)) continue;
    errors.push({
      path: formatPath([...agent.path, 'mbox_sha1sum']),
      message: `${describe(value)} is not a SHA-1 digest; mbox_sha1sum is the 40 hex digits of the SHA-1 of the mailto IRI (xAPI Data 2.4.2.3)`,
    });
  }
  return errors;
}

/** xAPI Data 2.4.5.1: min is "less than max" (xapi-validation only rejects min > max). */
export function scoreErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  for (const part of statementParts(statement, root)) {
    const score = isJsonObject(part.node.result) ? part.node.result.score : undefined;
    if (!isJsonObject(score) || !isJsonNumber(score.min) || !isJsonNumber(score.max)) continue;
    if (canonicalNumber(score.min) === canonicalNumber(score.max)) {
      errors.push({
        path: formatPath([...part.path, 'result', 'score']),
        message: `min and max are both ${String(score.min)}; min must be less than max (xAPI Data 2.4.5.1)`,
      });
    }
  }
  return errors;
}

/** SHA-2 digests in hex: SHA-224, SHA-256, SHA-384, SHA-512. */
const SHA2_HEX = /^(?:[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;

/**
 * xAPI Data 2.4.11: sha2 is the SHA-2 hash of the attachment data (hex, as in the
 * X-Experience-API-Hash header) and length a number of octets (a whole number, not negative).
 */
export function attachmentErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  for (const part of statementParts(statement, root)) {
    const attachments = part.node.attachments;
    if (!Array.isArray(attachments)) continue;
    attachments.forEach((attachment, index) => {
      if (!isJsonObject(attachment)) return;
      const path = [...part.path, 'attachments', index];
      if (typeof attachment.sha2 === 'string' && !SHA2_HEX.test(attachment.sha2)) {
        errors.push({
          path: formatPath([...path, 'sha2']),
          message: `${describe(attachment.sha2)} is not a hex SHA-2 digest; send the SHA-256 (64 hex digits), SHA-384 or SHA-512 of the attachment data (xAPI Data 2.4.11)`,
        });
      }
      if (isJsonNumber(attachment.length) && canonicalNumber(attachment.length).startsWith('-')) {
        errors.push({
          path: formatPath([...path, 'length']),
          message: 'length is a number of octets and cannot be negative (xAPI Data 2.4.11)',
        });
      }
    });
  }
  return errors;
}
