import { sql, type Kysely } from 'kysely';

/**
 * Rendered charts, cached (issue #7, report speed). Vega rendering costs a few hundred milliseconds of
 * CPU per report page and is a pure function of the chart model (`renderChart` is deterministic), so a
 * rendered chart is stored under the SHA-256 of its model (plus the renderer's version): the same numbers
 * give the same key, new data gives a new key, and nothing ever needs invalidating. A table, not process
 * memory, so every stateless app server shares it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE chart_render_cache (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      model_hash text NOT NULL,
      rendered jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, model_hash)
    )`.execute(db);
  // Pruning old entries of one tenant (the primary key serves the lookups).
  await sql`CREATE INDEX chart_render_cache_age_idx ON chart_render_cache (tenant_id, created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE chart_render_cache`.execute(db);
}
