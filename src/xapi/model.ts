/**
 * The LRS's model: statements as stored and queried, documents (state, activity profile, agent
 * profile) and the credentials that sign requests in.
 */

/** The voiding verb (xAPI Data 2.3.2): a statement with it voids the statement it refers to. */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

export interface StatementInsert {
  id: string;
  stored: string;
  timestamp: string;
  verb: string;
  registration: string | null;
  voidedTarget: string | null;
  refTarget: string | null;
  version: string;
  text: string;
  agents: { key: string; usage: string }[];
  activities: { iri: string; usage: string }[];
}

export interface StatementFilter {
  agentKey?: string;
  relatedAgents?: boolean;
  verb?: string;
  activity?: string;
  relatedActivities?: boolean;
  registration?: string;
  /** ISO instants; since exclusive, until inclusive, on `stored`. */
  since?: string;
  until?: string;
  ascending?: boolean;
  /** Only statements stored with this credential (statements/read/mine). */
  credentialId?: string;
  /** Keyset position: return statements after this seq in the requested order. */
  afterSeq?: string;
  /** Only statements visible in this snapshot (pg_snapshot text), for pages after the first. */
  snapshot?: string;
  limit: number;
}

export interface StatementPageRow {
  seq: string;
  statement: string;
  stored: Date;
}

export type DocumentKind = 'state' | 'activity_profile' | 'agent_profile';

/** Which documents: all key parts but the document id ('' for parts a kind does not use). */
export interface DocumentScope {
  tenantId: string;
  kind: DocumentKind;
  activityIri: string;
  agentKey: string;
  registration: string;
}

export interface StoredDocument {
  content: Buffer;
  contentType: string;
  etag: string;
  updated: Date;
}

export interface LrsCredentialRow {
  tenantId: string;
  id: string;
  key: string;
  secretHash: string;
  name: string;
  scopes: string[];
  /** The authority Agent as JSON text. */
  authority: string;
  createdAt: Date;
  revokedAt: Date | null;
}
