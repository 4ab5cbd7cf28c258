import { sql, type Kysely } from 'kysely';

/**
 * The LRS statement store, laid out as SQL LRS does: one row per statement with the query keys
 * extracted, plus association tables for agents and activities by usage. The statement itself is kept
 * as text, not jsonb: jsonb cannot hold "\u0000" and would rewrite numbers, and the LRS must return
 * what it was sent (xAPI Communication 2.1.3).
 *
 * Every index serves a GET filter; `seq` is the stored order and the keyset for `more` links.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE xapi_statement (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      stored timestamptz NOT NULL,
      "timestamp" timestamptz NOT NULL,
      verb_iri text NOT NULL,
      registration uuid,
      voided boolean NOT NULL DEFAULT false,
      voiding_target uuid,
      ref_target uuid,
      credential_id uuid,
      version text NOT NULL,
      statement text NOT NULL,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  // Unfiltered GET and since/until: newest first by stored order within a tenant.
  await sql`CREATE UNIQUE INDEX xapi_statement_seq_key ON xapi_statement (tenant_id, seq)`.execute(db);
  // GET ?verb=: walk one verb's statements in stored order.
  await sql`CREATE INDEX xapi_statement_verb_idx ON xapi_statement (tenant_id, verb_iri, seq)`.execute(db);
  // GET ?registration=: one attempt's statements (most statements carry none, so partial).
  await sql`CREATE INDEX xapi_statement_registration_idx ON xapi_statement (tenant_id, registration, seq) WHERE registration IS NOT NULL`.execute(
    db,
  );
  // StatementRef filter semantics: find statements that target a matching statement.
  await sql`CREATE INDEX xapi_statement_ref_idx ON xapi_statement (tenant_id, ref_target) WHERE ref_target IS NOT NULL`.execute(
    db,
  );

  // GET ?agent= (and related_agents=true): one agent's statements in stored order, by usage.
  await sql`
    CREATE TABLE xapi_statement_agent (
      tenant_id uuid NOT NULL,
      agent_key text NOT NULL,
      usage text NOT NULL,
      seq bigint NOT NULL,
      statement_id uuid NOT NULL,
      PRIMARY KEY (tenant_id, agent_key, seq, usage),
      FOREIGN KEY (tenant_id, statement_id) REFERENCES xapi_statement (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // GET ?activity= (and related_activities=true): likewise for activities.
  await sql`
    CREATE TABLE xapi_statement_activity (
      tenant_id uuid NOT NULL,
      activity_iri text NOT NULL,
      usage text NOT NULL,
      seq bigint NOT NULL,
      statement_id uuid NOT NULL,
      PRIMARY KEY (tenant_id, activity_iri, seq, usage),
      FOREIGN KEY (tenant_id, statement_id) REFERENCES xapi_statement (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE xapi_statement_activity`.execute(db);
  await sql`DROP TABLE xapi_statement_agent`.execute(db);
  await sql`DROP TABLE xapi_statement`.execute(db);
}
