import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely's view of the schema. Every table of tenant data leads its keys with `tenant_id`, the
 * distribution column when the schema runs on Citus. Keep in step with migrations/.
 */
export interface Database {
  tenant: TenantTable;
  xapi_statement: XapiStatementTable;
  xapi_statement_agent: XapiStatementAgentTable;
  xapi_statement_activity: XapiStatementActivityTable;
  lrs_credential: LrsCredentialTable;
  xapi_attachment: XapiAttachmentTable;
  xapi_activity: XapiActivityTable;
  xapi_document: XapiDocumentTable;
}

export interface LrsCredentialTable {
  tenant_id: string;
  id: Generated<string>;
  key: string;
  secret_hash: string;
  name: Generated<string>;
  scopes: string[];
  authority: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  revoked_at: Date | null;
}

export interface XapiAttachmentTable {
  tenant_id: string;
  sha2: string;
  content_type: string;
  content: Buffer;
}

export interface XapiActivityTable {
  tenant_id: string;
  iri: string;
  definition: string;
  updated: Generated<Date>;
}

export interface XapiDocumentTable {
  tenant_id: string;
  kind: 'state' | 'activity_profile' | 'agent_profile';
  activity_iri: string;
  agent_key: string;
  registration: string;
  document_id: string;
  content: Buffer;
  content_type: string;
  etag: string;
  updated: Date;
}

export interface TenantTable {
  id: Generated<string>;
  name: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface XapiStatementTable {
  tenant_id: string;
  id: string;
  seq: Generated<string>;
  stored: Date;
  timestamp: Date;
  verb_iri: string;
  registration: string | null;
  voided: Generated<boolean>;
  voiding_target: string | null;
  ref_target: string | null;
  credential_id: string | null;
  version: string;
  statement: string;
  xact_id: Generated<string>;
}

export interface XapiStatementAgentTable {
  tenant_id: string;
  agent_key: string;
  usage: string;
  seq: string;
  statement_id: string;
}

export interface XapiStatementActivityTable {
  tenant_id: string;
  activity_iri: string;
  usage: string;
  seq: string;
  statement_id: string;
}
