import { sql, type Kysely } from 'kysely';

/**
 * Single use of signed download links (docs/kpi-reports.md, "Exports"): a report page mints links that
 * carry their own proof (an HMAC), so a download works where the session cookie is not sent (a
 * partitioned cookie in an LMS iframe); each link's nonce is recorded here when it is used, so it cannot
 * be used twice. A row is needed only until its link expires; rows past `expires_at` are deleted as new
 * links are used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE export_link_use (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      nonce text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, nonce)
    )`.execute(db);
  await sql`CREATE INDEX export_link_use_expires_idx ON export_link_use (tenant_id, expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE export_link_use`.execute(db);
}
