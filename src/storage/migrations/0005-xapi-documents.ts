import { sql, type Kysely } from 'kysely';

/**
 * The document resources (xAPI Communication 2.3-2.5): State, Activity Profile and Agent Profile in
 * one table, told apart by `kind`. Bodies are bytes with their content type, kept byte-exact; JSON
 * bodies are merged by POST in the service. Unused key parts are '' so the primary key covers them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE xapi_document (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
      activity_iri text NOT NULL,
      agent_key text NOT NULL,
      registration text NOT NULL,
      document_id text NOT NULL,
      content bytea NOT NULL,
      content_type text NOT NULL,
      etag text NOT NULL,
      updated timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, kind, activity_iri, agent_key, registration, document_id)
    )`.execute(db);
  // The primary key serves every lookup: single GETs name all parts; multiple-id GETs and DELETEs
  // name all but document_id (a prefix of the key), with `since` filtered on the few rows found.
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE xapi_document`.execute(db);
}
