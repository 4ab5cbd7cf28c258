/**
 * Parameters of the document resources (xAPI Communication 2.3 State, 2.6 Activity Profile, 2.7
 * Agent Profile), read into the key of a document. Pure.
 */
import { ValidationError, type ErrorDetail } from '../../errors.js';
import type { DocumentKind } from '../model.js';
import {
  fitsIndex,
  isIri,
  isUuid,
  MAX_INDEXED_BYTES,
  normalizeUuid,
  parseAgentParameter,
  parseTimestamp,
  type XapiVersion,
} from '../rules/index.js';

export interface DocumentParams {
  kind: DocumentKind;
  activityIri: string;
  agentKey: string;
  registration: string;
  /** stateId or profileId; undefined for multiple-document GET and DELETE. */
  documentId?: string;
  /** GET of ids only: documents updated after this instant. */
  since?: Date;
}

const ALLOWED: Record<DocumentKind, string[]> = {
  state: ['activityId', 'agent', 'registration', 'stateId', 'since'],
  activity_profile: ['activityId', 'profileId', 'since'],
  agent_profile: ['agent', 'profileId', 'since'],
};

/** Reads and checks the query parameters for `kind`; `method` decides which are required. */
export function readDocumentParams(
  kind: DocumentKind,
  method: string,
  query: Record<string, unknown>,
  version: XapiVersion,
): DocumentParams {
  const errors: ErrorDetail[] = [];
  const text = (name: string): string | undefined => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      errors.push({ path: name, message: `${name} is given more than once; send it once` });
      return undefined;
    }
    if (v.includes('\u0000')) {
      // PostgreSQL text cannot hold U+0000, and no identifier of xAPI has it.
      errors.push({ path: name, message: `${name} contains the character U+0000; remove it` });
      return undefined;
    }
    return v;
  };
  for (const name of Object.keys(query)) {
    if (!ALLOWED[kind].includes(name))
      errors.push({
        path: name,
        message: `${name} is not a parameter of this resource; use ${ALLOWED[kind].join(', ')}`,
      });
  }
  const idName = kind === 'state' ? 'stateId' : 'profileId';
  let activityIri = '';
  if (kind !== 'agent_profile') {
    const v = text('activityId');
    if (v === undefined) errors.push({ path: 'activityId', message: 'activityId is required' });
    else if (!isIri(v))
      errors.push({ path: 'activityId', message: `activityId must be an IRI, not ${JSON.stringify(v)}` });
    else activityIri = v;
  }
  let agentKey = '';
  if (kind !== 'activity_profile') {
    const v = text('agent');
    if (v === undefined) errors.push({ path: 'agent', message: 'agent is required (an Agent as JSON)' });
    else {
      const agent = parseAgentParameter(v);
      if (agent.ok && !fitsIndex(agent.key))
        errors.push({
          path: 'agent',
          message: `agent has an identifier longer than ${MAX_INDEXED_BYTES} bytes or containing U+0000; no such Agent is stored`,
        });
      else if (agent.ok) agentKey = agent.key;
      else errors.push(...agent.errors);
    }
  }
  let registration = '';
  const reg = text('registration');
  if (reg !== undefined) {
    if (isUuid(reg)) registration = normalizeUuid(reg);
    else
      errors.push({
        path: 'registration',
        message: `registration must be a UUID, not ${JSON.stringify(reg)}`,
      });
  }
  const documentId = text(idName);
  if (
    documentId === undefined &&
    (method === 'PUT' || method === 'POST' || (method === 'DELETE' && kind !== 'state'))
  ) {
    errors.push({
      path: idName,
      message: `${idName} is required to ${method === 'DELETE' ? 'delete' : 'store'} a document`,
    });
  }
  let since: Date | undefined;
  const sinceText = text('since');
  if (sinceText !== undefined) {
    if (documentId !== undefined || method !== 'GET') {
      errors.push({
        path: 'since',
        message: `since applies only when GETting the list of ids (without ${idName})`,
      });
    }
    const parsed = parseTimestamp(sinceText, version);
    if (parsed.ok) since = new Date(parsed.instant);
    else errors.push({ path: 'since', message: `since ${parsed.message}` });
  }
  const keyParts: [string, string][] = [
    ['activityId', activityIri],
    ['agent', agentKey],
    [idName, documentId ?? ''],
  ];
  const keyBytes = keyParts.reduce((sum, [, v]) => sum + Buffer.byteLength(v, 'utf8'), 0);
  if (keyBytes > MAX_INDEXED_BYTES) {
    // The parts form one index entry (0005), which PostgreSQL caps at about 2,700 bytes.
    const named = keyParts.filter(([, v]) => v !== '').map(([n]) => n);
    errors.push({
      path: named.join(', '),
      message: `${named.join(', ')} together are ${keyBytes} bytes; this LRS stores documents whose ${named.join(' and ')} add up to at most ${MAX_INDEXED_BYTES} bytes, so use shorter identifiers`,
    });
  }
  if (errors.length) {
    throw new ValidationError(
      `The document request is not valid: ${errors.map((e) => e.message).join('; ')}.`,
      errors,
    );
  }
  return { kind, activityIri, agentKey, registration, documentId, since };
}
