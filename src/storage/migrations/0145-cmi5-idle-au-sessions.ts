import { sql, type Kysely } from 'kysely';

/**
 * The idle AU session sweep (issue #19, cmi5 9.3.6): the learning job abandons AU sessions launched and
 * neither terminated nor heard from for `learning.auSessionTimeoutSeconds`. This partial index holds
 * only the open AU sessions, by when they were last heard from (their last statement, else their
 * launch), so each tick reads the few that are due instead of every launch ever made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX cmi5_launch_open_idle ON cmi5_launch (tenant_id, (coalesce(last_statement_at, created_at)))
      WHERE au_id IS NOT NULL AND status IN ('launched', 'initialized')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX cmi5_launch_open_idle`.execute(db);
}
