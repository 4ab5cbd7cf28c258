/**
 * The GET /statements parameters (xAPI Communication 2.1.3), read into a typed query. Pure.
 */
import { ValidationError, type ErrorDetail } from '../../errors.js';
import {
  fitsIndex,
  isIri,
  MAX_INDEXED_BYTES,
  isUuid,
  normalizeUuid,
  parseAgentParameter,
  parseTimestamp,
  STATEMENT_FORMATS,
  type StatementFormat,
  type XapiVersion,
} from '../rules/index.js';

/** Largest page this LRS returns; `limit=0` or more asks for this many. */
export const MAX_PAGE_SIZE = 500;

const SINGLE_PARAMS = new Set(['statementId', 'voidedStatementId', 'format', 'attachments']);
const QUERY_PARAMS = new Set([
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
  'cursor',
]);

export type StatementRequest =
  | { kind: 'single'; id: string; voided: boolean; format: StatementFormat; attachments: boolean }
  | {
      kind: 'query';
      agentKey?: string;
      verb?: string;
      activity?: string;
      registration?: string;
      relatedActivities: boolean;
      relatedAgents: boolean;
      since?: string;
      until?: string;
      limit: number;
      format: StatementFormat;
      attachments: boolean;
      ascending: boolean;
      cursor?: string;
    };

/** Reads the query string of GET /statements; throws ValidationError naming every bad parameter. */
export function readStatementRequest(query: Record<string, unknown>, version: XapiVersion): StatementRequest {
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
  const bool = (name: string): boolean => {
    const v = text(name);
    if (v === undefined) return false;
    if (v !== 'true' && v !== 'false')
      errors.push({ path: name, message: `${name} must be true or false, not ${JSON.stringify(v)}` });
    return v === 'true';
  };
  const format = (): StatementFormat => {
    const v = text('format') ?? 'exact';
    if (!(STATEMENT_FORMATS as readonly string[]).includes(v)) {
      errors.push({
        path: 'format',
        message: `format must be exact, ids or canonical, not ${JSON.stringify(v)}`,
      });
      return 'exact';
    }
    return v as StatementFormat;
  };
  const uuid = (name: string): string | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    if (!isUuid(v)) {
      errors.push({
        path: name,
        message: `${name} must be a UUID such as 1f8a5b1c-7c9e-4c1d-9b5e-2f3a4b5c6d7e, not ${JSON.stringify(v)}`,
      });
      return undefined;
    }
    return normalizeUuid(v);
  };
  const finish = <T>(value: T): T => {
    if (errors.length)
      throw new ValidationError(
        `The statement query is not valid: ${errors.map((e) => e.message).join('; ')}.`,
        errors,
      );
    return value;
  };

  const single = query.statementId !== undefined || query.voidedStatementId !== undefined;
  if (single) {
    const extra = Object.keys(query).filter((k) => !SINGLE_PARAMS.has(k));
    if (extra.length)
      errors.push({
        path: extra[0]!,
        message: `statementId and voidedStatementId cannot be combined with ${extra.join(', ')} (xAPI Communication 2.1.3)`,
      });
    if (query.statementId !== undefined && query.voidedStatementId !== undefined) {
      errors.push({ path: 'voidedStatementId', message: 'send statementId or voidedStatementId, not both' });
    }
    const voided = query.voidedStatementId !== undefined;
    const id = uuid(voided ? 'voidedStatementId' : 'statementId');
    return finish({
      kind: 'single',
      id: id ?? '',
      voided,
      format: format(),
      attachments: bool('attachments'),
    });
  }
  const unknown = Object.keys(query).filter((k) => !QUERY_PARAMS.has(k));
  for (const k of unknown) errors.push({ path: k, message: `${k} is not a statement query parameter` });

  let agentKey: string | undefined;
  const agentText = text('agent');
  if (agentText !== undefined) {
    const agent = parseAgentParameter(agentText);
    if (agent.ok && !fitsIndex(agent.key))
      errors.push({
        path: 'agent',
        message: `agent has an identifier longer than ${MAX_INDEXED_BYTES} bytes or containing U+0000; no such Agent is stored`,
      });
    else if (agent.ok) agentKey = agent.key;
    else errors.push(...agent.errors);
  }
  const iri = (name: string): string | undefined => {
    const v = text(name);
    if (v !== undefined && !isIri(v))
      errors.push({
        path: name,
        message: `${name} must be an IRI such as http://example.com/x, not ${JSON.stringify(v)}`,
      });
    return v;
  };
  const time = (name: string): string | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    const parsed = parseTimestamp(v, version);
    if (!parsed.ok) {
      errors.push({ path: name, message: `${name} ${parsed.message}` });
      return undefined;
    }
    if (parsed.instant.startsWith('0000')) {
      // ISO 8601 has a year 0000; PostgreSQL's timestamptz does not (1 BC is year 0001 BC).
      errors.push({ path: name, message: `${name} must be in year 0001 or later, not ${JSON.stringify(v)}` });
      return undefined;
    }
    return parsed.instant;
  };
  let limit = MAX_PAGE_SIZE;
  const limitText = text('limit');
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText))
      errors.push({
        path: 'limit',
        message: `limit must be a whole number of 0 or more, not ${JSON.stringify(limitText)}`,
      });
    else limit = Number(limitText) === 0 ? MAX_PAGE_SIZE : Math.min(Number(limitText), MAX_PAGE_SIZE);
  }
  return finish({
    kind: 'query',
    agentKey,
    verb: iri('verb'),
    activity: iri('activity'),
    registration: uuid('registration'),
    relatedActivities: bool('related_activities'),
    relatedAgents: bool('related_agents'),
    since: time('since'),
    until: time('until'),
    limit,
    format: format(),
    attachments: bool('attachments'),
    ascending: bool('ascending'),
    cursor: text('cursor'),
  });
}
