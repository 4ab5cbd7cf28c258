/**
 * The values the storage layer indexes a statement by, extracted from a prepared statement
 * (xAPI Communication 2.1.3 query parameters: agent, verb, activity, registration, related_agents,
 * related_activities, since/until on stored, voidedStatementId and the StatementRef rules).
 */
import { agentKey } from './agent-key.js';
import { parseTimestamp } from './data-types/timestamp.js';
import { normalizeUuid } from './data-types/uuid.js';
import { isJsonNumber, isJsonObject, numberValue } from './json.js';
import {
  collectActivities,
  collectAgents,
  statementParts,
  type ActivityUsage,
  type AgentUsage,
} from './statement-walk.js';
import type { JsonObject } from './types.js';
import { VOIDED_VERB } from '../model.js';

export interface AgentKeyUsage {
  /** Canonical IFI key (see agent-key.ts). */
  key: string;
  usage: AgentUsage;
  /** True when the Agent appears as a member of a Group in that position (the agent filter matches it). */
  member: boolean;
}

export interface ActivityIriUsage {
  iri: string;
  usage: ActivityUsage;
}

export interface AttachmentKey {
  /** Lowercase hex SHA-2 of the attachment data. */
  sha2: string;
  contentType: string;
  length: number;
  usageType: string;
  fileUrl?: string;
}

export interface StatementKeys {
  /** Lowercase statement id. */
  id: string;
  verb: string;
  /** Lowercase registration UUID, or null. */
  registration: string | null;
  /** The timestamp as a UTC instant (ISO 8601, at least millisecond precision). */
  timestamp: string;
  /** The stored time (ISO 8601 UTC). */
  stored: string;
  /** For a voiding statement, the lowercase id of the statement it voids. */
  voidedTarget: string | null;
  /** When the object is a StatementRef, the lowercase id it targets (voiding statements included). */
  statementRefTarget: string | null;
  agents: AgentKeyUsage[];
  activities: ActivityIriUsage[];
  /** Activity definitions carried by the statement, in order, for the Activity store to merge. */
  activityDefinitions: { id: string; definition: JsonObject }[];
  /** Verb displays carried by the statement, for a canonical Verb display store. */
  verbDisplays: { id: string; display: JsonObject }[];
  /** Attachment metadata of the statement and its SubStatement. */
  attachments: AttachmentKey[];
}

/** Extracts the query keys of a prepared (validated, id/stored/timestamp set) statement. */
export function extractStatementKeys(statement: JsonObject): StatementKeys {
  const verbId = isJsonObject(statement.verb) ? String(statement.verb.id) : '';
  const context = isJsonObject(statement.context) ? statement.context : undefined;
  const object = isJsonObject(statement.object) ? statement.object : undefined;
  const refTarget =
    object?.objectType === 'StatementRef' && typeof object.id === 'string' ? normalizeUuid(object.id) : null;
  const timestamp = parseTimestamp(statement.timestamp, '1.0.3');
  const stored = parseTimestamp(statement.stored, '1.0.3');
  return {
    id: normalizeUuid(String(statement.id)),
    verb: verbId,
    registration: typeof context?.registration === 'string' ? normalizeUuid(context.registration) : null,
    timestamp: timestamp.ok ? timestamp.instant : String(statement.timestamp),
    stored: stored.ok ? stored.instant : String(statement.stored),
    voidedTarget: verbId === VOIDED_VERB ? refTarget : null,
    statementRefTarget: refTarget,
    agents: agentKeys(statement),
    activities: activityIris(statement),
    activityDefinitions: collectActivities(statement, [])
      .filter((a) => typeof a.node.id === 'string' && isJsonObject(a.node.definition))
      .map((a) => ({ id: a.node.id as string, definition: a.node.definition as JsonObject })),
    verbDisplays: statementParts(statement, [])
      .map((part) => part.node.verb)
      .filter(
        (verb): verb is JsonObject =>
          isJsonObject(verb) && typeof verb.id === 'string' && isJsonObject(verb.display),
      )
      .map((verb) => ({ id: verb.id as string, display: verb.display as JsonObject })),
    attachments: attachmentKeys(statement),
  };
}

function agentKeys(statement: JsonObject): AgentKeyUsage[] {
  const seen = new Set<string>();
  const out: AgentKeyUsage[] = [];
  for (const agent of collectAgents(statement, [])) {
    const key = agentKey(agent.node);
    if (key === undefined) continue;
    const id = `${key}\u0000${agent.usage}\u0000${agent.member}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ key, usage: agent.usage, member: agent.member });
  }
  return out;
}

function activityIris(statement: JsonObject): ActivityIriUsage[] {
  const seen = new Set<string>();
  const out: ActivityIriUsage[] = [];
  for (const activity of collectActivities(statement, [])) {
    if (typeof activity.node.id !== 'string') continue;
    const id = `${activity.node.id}\u0000${activity.usage}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ iri: activity.node.id, usage: activity.usage });
  }
  return out;
}

function attachmentKeys(statement: JsonObject): AttachmentKey[] {
  const out: AttachmentKey[] = [];
  for (const part of statementParts(statement, [])) {
    if (!Array.isArray(part.node.attachments)) continue;
    for (const attachment of part.node.attachments) {
      if (!isJsonObject(attachment) || typeof attachment.sha2 !== 'string') continue;
      out.push({
        sha2: attachment.sha2.toLowerCase(),
        contentType: String(attachment.contentType),
        length: isJsonNumber(attachment.length) ? numberValue(attachment.length) : NaN,
        usageType: String(attachment.usageType),
        ...(typeof attachment.fileUrl === 'string' ? { fileUrl: attachment.fileUrl } : {}),
      });
    }
  }
  return out;
}
