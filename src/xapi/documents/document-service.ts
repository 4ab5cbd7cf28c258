/**
 * State, Activity Profile and Agent Profile documents (xAPI Communication 2.3, 2.6, 2.7): bytes kept
 * exactly with their content type; POST merges JSON objects; ETags with If-Match / If-None-Match
 * (Communication 3.1 "Concurrency").
 */
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.js';
import type { XapiDocumentRepository } from '../../storage/repositories/xapi-document-repository.js';
import { isJsonObject, mediaTypeOf, parseJsonLossless, serializeJson } from '../rules/index.js';
import type { DocumentParams } from './document-params.js';
import type { StoredDocument } from '../model.js';

export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

export interface DocumentBody {
  content: Buffer;
  contentType?: string;
}

export type ConditionalPut = 'optional' | 'existing' | 'required';

export interface DocumentService {
  get(tenantId: string, params: DocumentParams): Promise<StoredDocument>;
  listIds(tenantId: string, params: DocumentParams): Promise<string[]>;
  /**
   * PUT: replace. Without If-Match/If-None-Match, `conditional` decides: 'optional' stores anyway;
   * 'existing' answers 409 when the document exists (Communication 3.1); 'required' also answers
   * 400 when it does not (the 1.0.3 conformance suite's reading for the profile resources).
   */
  put(
    tenantId: string,
    params: DocumentParams,
    body: DocumentBody,
    pre: Preconditions,
    conditional: ConditionalPut,
  ): Promise<void>;
  /** POST: create, or merge a JSON object into a stored JSON object (top-level keys overwrite). */
  post(tenantId: string, params: DocumentParams, body: DocumentBody, pre: Preconditions): Promise<void>;
  delete(tenantId: string, params: DocumentParams, pre: Preconditions): Promise<void>;
}

/** A strong ETag: the quoted SHA-1 of the bytes (Communication 3.1 suggests SHA-1). */
export function etagOf(content: Buffer): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

function matches(header: string, etag: string | undefined): boolean {
  if (etag === undefined) return false;
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v === etag || `"${v}"` === etag;
  });
}

function checkPreconditions(pre: Preconditions, current: StoredDocument | undefined): void {
  if (pre.ifMatch !== undefined && !matches(pre.ifMatch, current?.etag)) {
    throw new PreconditionFailedError(
      current
        ? `The document changed since you read it (its ETag is ${current.etag}, not ${pre.ifMatch}); GET it again, then retry.`
        : 'If-Match was sent but no such document exists; create it without If-Match (or with If-None-Match: *).',
    );
  }
  if (pre.ifNoneMatch !== undefined && current && matches(pre.ifNoneMatch, current.etag)) {
    throw new PreconditionFailedError(
      'The document already exists (If-None-Match); GET it and send If-Match with its ETag to change it.',
    );
  }
}

function isJsonType(contentType: string | undefined): boolean {
  return mediaTypeOf(contentType) === 'application/json';
}

export function createDocumentService(deps: { documents: XapiDocumentRepository }): DocumentService {
  const repo = deps.documents;
  const scope = (tenantId: string, p: DocumentParams) => ({
    tenantId,
    kind: p.kind,
    activityIri: p.activityIri,
    agentKey: p.agentKey,
    registration: p.registration,
  });
  const make = (content: Buffer, contentType: string | undefined): StoredDocument => ({
    content,
    contentType: contentType || 'application/octet-stream',
    etag: etagOf(content),
    updated: new Date(),
  });
  const idOf = (p: DocumentParams) => p.documentId!;
  const lost = () =>
    new ConflictError(
      'The document was changed by another request at the same time; GET it again, then retry.',
    );

  return {
    async get(tenantId, p) {
      const doc = await repo.find(scope(tenantId, p), idOf(p));
      if (!doc)
        throw new NotFoundError(`No document with id ${JSON.stringify(p.documentId)} is stored here.`);
      return doc;
    },
    listIds: (tenantId, p) => repo.listIds(scope(tenantId, p), p.since),
    async put(tenantId, p, body, pre, conditional) {
      const s = scope(tenantId, p);
      const current = await repo.find(s, idOf(p));
      const unconditional = pre.ifMatch === undefined && pre.ifNoneMatch === undefined;
      if (!current && unconditional && conditional === 'required') {
        throw new ValidationError(
          'PUT to a profile document needs If-None-Match: * to create it or If-Match with its ETag to replace it (xAPI Communication 3.1).',
        );
      }
      if (current && unconditional && conditional !== 'optional') {
        throw new ConflictError(
          'This document already exists; send If-Match with its ETag to replace it (or If-None-Match: * to create only) (xAPI Communication 3.1).',
        );
      }
      checkPreconditions(pre, current);
      const doc = make(body.content, body.contentType);
      if (pre.ifMatch !== undefined || pre.ifNoneMatch !== undefined) {
        if (!(await repo.replaceIf(s, idOf(p), current?.etag ?? null, doc))) throw lost();
      } else {
        await repo.upsert(s, idOf(p), doc);
      }
    },
    async post(tenantId, p, body, pre) {
      const s = scope(tenantId, p);
      const current = await repo.find(s, idOf(p));
      checkPreconditions(pre, current);
      if (!current) {
        if (isJsonType(body.contentType)) {
          const parsed = parseJsonLossless(body.content.toString('utf8'));
          if (!parsed.ok || !isJsonObject(parsed.value)) {
            throw new ValidationError(
              `The document body ${parsed.ok ? 'is JSON but not an object' : parsed.message}; POST a JSON object, or PUT other content.`,
            );
          }
        }
        if (!(await repo.replaceIf(s, idOf(p), null, make(body.content, body.contentType)))) throw lost();
        return;
      }
      if (!isJsonType(current.contentType) || !isJsonType(body.contentType)) {
        throw new ValidationError(
          'POST merges JSON objects only: the stored document and the body must both be application/json objects; use PUT to replace other content.',
        );
      }
      const stored = parseJsonLossless(current.content.toString('utf8'));
      const received = parseJsonLossless(body.content.toString('utf8'));
      if (!received.ok || !isJsonObject(received.value)) {
        throw new ValidationError(
          `The document body ${received.ok ? 'is JSON but not an object' : received.message}; POST a JSON object.`,
        );
      }
      if (!stored.ok || !isJsonObject(stored.value)) {
        throw new ValidationError(
          'The stored document is not a JSON object, so it cannot be merged; PUT the whole document instead.',
        );
      }
      const merged = { ...stored.value };
      for (const [k, v] of Object.entries(received.value)) {
        Object.defineProperty(merged, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      const doc = make(Buffer.from(serializeJson(merged), 'utf8'), 'application/json');
      if (!(await repo.replaceIf(s, idOf(p), current.etag, doc))) throw lost();
    },
    async delete(tenantId, p, pre) {
      const s = scope(tenantId, p);
      if (p.documentId !== undefined && (pre.ifMatch !== undefined || pre.ifNoneMatch !== undefined)) {
        checkPreconditions(pre, await repo.find(s, p.documentId));
      }
      await repo.delete(s, p.documentId);
    },
  };
}
