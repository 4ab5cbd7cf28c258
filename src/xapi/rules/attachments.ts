/**
 * Statement requests with attachments (xAPI Communication 1.5.2, Data 2.4.11): reading a
 * multipart/mixed statement request and matching its parts to the statements' attachments by
 * SHA-2 ("It MUST not do so any other way").
 *
 * Error cases (each a 400 Bad Request):
 * - no boundary; first part not `application/json`;
 * - an attachment part without X-Experience-API-Hash, or with a Content-Transfer-Encoding other
 *   than `binary` (a missing one is assumed binary: "SHOULD assume a Content-Transfer-Encoding of
 *   binary");
 * - a part whose data does not hash to its X-Experience-API-Hash;
 * - an attachment with no fileUrl and no part with its sha2 ("MUST reject ... Attachments that
 *   neither contain a fileUrl nor match a received Attachment part based on their hash");
 * - a part no attachment declares (excess parts that are not attachments);
 * - a part whose Content-Type differs from the attachment's contentType ("the value of these
 *   parameters and properties MUST match"; compared by media type, parameters ignored);
 * - for `application/json` requests, an attachment without fileUrl.
 */
import { createHash } from 'node:crypto';
import { isJsonObject } from './json.js';
import { formatPath, type PathSegment } from './json-path.js';
import { boundaryFromContentType, mediaTypeOf, parseMultipartMixed } from './multipart.js';
import { statementParts } from './statement-walk.js';
import type { JsonObject, RuleError } from './types.js';

/** An attachment part of a statement request. */
export interface AttachmentPart {
  /** 1-based position of the part in the request (the statements part is 1). */
  partNumber: number;
  /** Lowercase hex SHA-2 from X-Experience-API-Hash (verified against the data). */
  sha2: string;
  contentType?: string;
  body: Buffer;
}

export type StatementRequestResult =
  { ok: true; statementsText: string; parts: AttachmentPart[] } | { ok: false; errors: RuleError[] };

const HASH_BY_HEX_LENGTH: Record<number, string> = {
  56: 'sha224',
  64: 'sha256',
  96: 'sha384',
  128: 'sha512',
};

/** The SHA-2 algorithm a hex digest's length implies (56, 64, 96 or 128 digits), if any. */
export function sha2AlgorithmFor(hex: string): string | undefined {
  return /^[0-9a-f]+$/i.test(hex) ? HASH_BY_HEX_LENGTH[hex.length] : undefined;
}

/**
 * Reads a multipart/mixed statement request: the statements (first part, as text for lossless
 * parsing) and the attachment parts, each checked for its headers and hash.
 */
export function readStatementRequest(body: Buffer, contentType: string | undefined): StatementRequestResult {
  const fail = (message: string): StatementRequestResult => ({
    ok: false,
    errors: [{ path: 'body', message }],
  });
  const boundary = boundaryFromContentType(contentType);
  if (!boundary.ok) return fail(boundary.message);
  const multipart = parseMultipartMixed(body, boundary.boundary);
  if (!multipart.ok) return fail(multipart.message);
  const [first, ...rest] = multipart.parts;
  if (!first) return fail('the multipart body has no parts; the first part must hold the statements');
  if (mediaTypeOf(first.headers['content-type']) !== 'application/json') {
    return fail(
      `the first part has Content-Type ${JSON.stringify(first.headers['content-type'] ?? '')}; it must be application/json and hold the statements (xAPI Communication 1.5.2)`,
    );
  }
  const errors: RuleError[] = [];
  const parts: AttachmentPart[] = [];
  rest.forEach((part, index) => {
    const partNumber = index + 2;
    const at = `body.part[${partNumber}]`;
    const hash = part.headers['x-experience-api-hash'];
    const encoding = part.headers['content-transfer-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'binary') {
      errors.push({
        path: at,
        message: `has Content-Transfer-Encoding ${encoding}; attachment parts must be sent as binary (xAPI Communication 1.5.2)`,
      });
    }
    if (hash === undefined || hash === '') {
      errors.push({
        path: at,
        message:
          'has no X-Experience-API-Hash header; every part after the statements must be an attachment with the SHA-2 of its data (xAPI Communication 1.5.2)',
      });
      return;
    }
    const algorithm = sha2AlgorithmFor(hash);
    if (!algorithm) {
      errors.push({
        path: at,
        message: `has X-Experience-API-Hash ${JSON.stringify(hash)}, which is not a hex SHA-256, SHA-384 or SHA-512 digest`,
      });
      return;
    }
    const actual = createHash(algorithm).update(part.body).digest('hex');
    if (actual !== hash.toLowerCase()) {
      errors.push({
        path: at,
        message: `has data whose ${algorithm.toUpperCase()} is ${actual}, not the X-Experience-API-Hash ${hash}; send the data unchanged (binary) with its hash`,
      });
      return;
    }
    parts.push({ partNumber, sha2: actual, contentType: part.headers['content-type'], body: part.body });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, statementsText: first.body.toString('utf8'), parts };
}

export type MatchResult =
  { ok: true; partsBySha2: Map<string, AttachmentPart> } | { ok: false; errors: RuleError[] };

/**
 * Matches attachment parts to the attachments of the statements (and their SubStatements).
 * `statements` are the parsed statements, `batch` whether the body was an array (for paths).
 * Pass `parts: []` for an application/json request: then every attachment needs a fileUrl.
 */
export function matchAttachmentParts(
  statements: unknown[],
  parts: AttachmentPart[],
  batch: boolean,
): MatchResult {
  const errors: RuleError[] = [];
  const partsBySha2 = new Map(parts.map((part) => [part.sha2, part]));
  const used = new Set<string>();
  statements.forEach((statement, index) => {
    const root: PathSegment[] = batch ? ['statements', index] : ['statement'];
    for (const part of statementParts(statement, root)) {
      const attachments = part.node.attachments;
      if (!Array.isArray(attachments)) continue;
      attachments.forEach((attachment, i) => {
        if (!isJsonObject(attachment) || typeof attachment.sha2 !== 'string') return;
        const path = formatPath([...part.path, 'attachments', i]);
        const sha2 = attachment.sha2.toLowerCase();
        const data = partsBySha2.get(sha2);
        if (data) {
          used.add(sha2);
          checkContentType(attachment, data, path, errors);
        } else if (attachment.fileUrl === undefined) {
          errors.push({
            path,
            message:
              parts.length === 0
                ? 'has no fileUrl; send the attachment data in a multipart/mixed request, or give a fileUrl (xAPI Communication 1.5.1)'
                : `has no fileUrl and no multipart part with X-Experience-API-Hash ${attachment.sha2}; send its data as a part or give a fileUrl (xAPI Communication 1.5.2)`,
          });
        }
      });
    }
  });
  for (const part of parts) {
    if (!used.has(part.sha2)) {
      errors.push({
        path: `body.part[${part.partNumber}]`,
        message: `has X-Experience-API-Hash ${part.sha2}, which no statement's attachments declare as sha2; remove the part or declare the attachment (xAPI Communication 1.5.2)`,
      });
    }
  }
  return errors.length === 0 ? { ok: true, partsBySha2 } : { ok: false, errors };
}

function checkContentType(
  attachment: JsonObject,
  part: AttachmentPart,
  path: string,
  errors: RuleError[],
): void {
  if (part.contentType === undefined || typeof attachment.contentType !== 'string') return;
  if (mediaTypeOf(part.contentType) !== mediaTypeOf(attachment.contentType)) {
    errors.push({
      path,
      message: `has contentType ${attachment.contentType} but its part (number ${part.partNumber}) has Content-Type ${part.contentType}; they must match (xAPI Communication 1.5.2)`,
    });
  }
}
