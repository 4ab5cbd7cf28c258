import { sql, type Kysely } from 'kysely';

/**
 * What the statement resource needs beyond 0002:
 * - `xact_id`: the inserting transaction. A `more` link carries the snapshot of its first page, and
 *   later pages show only statements visible in it (pg_visible_in_snapshot), so paging stays
 *   consistent while statements arrive, whatever order concurrent inserts commit in.
 * - attachments, stored once per tenant and SHA-2 (xAPI Data 2.4.11: the hash identifies the data).
 * - canonical Activity definitions, for the Activities resource and format=canonical.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE xapi_statement ADD COLUMN xact_id xid8 NOT NULL DEFAULT pg_current_xact_id()`.execute(
    db,
  );
  await sql`
    CREATE TABLE xapi_attachment (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      sha2 text NOT NULL,
      content_type text NOT NULL,
      content bytea NOT NULL,
      PRIMARY KEY (tenant_id, sha2)
    )`.execute(db);
  await sql`
    CREATE TABLE xapi_activity (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      iri text NOT NULL,
      definition text NOT NULL,
      updated timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, iri)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE xapi_activity`.execute(db);
  await sql`DROP TABLE xapi_attachment`.execute(db);
  await sql`ALTER TABLE xapi_statement DROP COLUMN xact_id`.execute(db);
}
