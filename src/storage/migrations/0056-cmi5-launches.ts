import { sql, type Kysely } from 'kysely';

/**
 * cmi5 launches of external content (issue #6, cmi5 8.1-8.2): one row per launch. The fetch URL holds a
 * one-time token (only its hash is kept); fetching it issues the LRS secret (hash kept) that authenticates
 * the content's xAPI requests, limited to this launch's actor and registration until `expires_at`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE cmi5_launch (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      attempt_id uuid NOT NULL,
      session_id uuid NOT NULL,
      activity_id text NOT NULL,
      agent_key text NOT NULL,
      fetch_hash text NOT NULL,
      secret_hash text,
      fetched_at timestamptz,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, attempt_id) REFERENCES learning_attempt (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE cmi5_launch`.execute(db);
}
