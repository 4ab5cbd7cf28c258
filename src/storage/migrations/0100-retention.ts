import { sql, type Kysely } from 'kysely';

/**
 * Retention and tenant deletion (issue #18, GDPR art. 5(1)(e)).
 *
 * `retention_policy`: per tenant and kind of data a period in days after which the scheduled sweep
 * erases rows (statements, answers, outcome rows, logs); no row means "kept until erased".
 * `tenant_deletion`: a confirmed request to delete a tenant entirely; the sweep purges it once
 * `purge_after` has passed (the grace period), leaving no row with its id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE retention_policy (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('statements', 'answers', 'outcome_rows', 'logs')),
      days integer NOT NULL CHECK (days BETWEEN 1 AND 36500),
      set_by text NOT NULL CHECK (length(set_by) BETWEEN 1 AND 200),
      set_at timestamptz NOT NULL DEFAULT now(),
      last_swept_at timestamptz,
      PRIMARY KEY (tenant_id, kind)
    )`.execute(db);
  await sql`
    CREATE TABLE tenant_deletion (
      tenant_id uuid PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
      requested_by text NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 200),
      requested_at timestamptz NOT NULL DEFAULT now(),
      purge_after timestamptz NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE tenant_deletion`.execute(db);
  await sql`DROP TABLE retention_policy`.execute(db);
}
