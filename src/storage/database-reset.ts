import { sql, type Kysely } from 'kysely';

/** What a reset dropped. */
export interface DatabaseReset {
  /** Schemas dropped with everything in them (public is created again, empty). */
  droppedSchemas: string[];
  /** How many tables they held. */
  droppedTables: number;
}

/**
 * Empties a database of everything Yardstick created: schema public (its tables, functions and
 * kysely_migration) dropped and created again, and the other schemas the app creates (analytics from
 * the migrations, pgboss for the job queue, ltijs' schema) dropped. Cluster-wide roles (the analyst group
 * and analyst logins) are left: other databases on the server may use them. Irreversible: callers confirm.
 *
 * @param schemas the schemas besides public to drop, e.g. ['analytics', 'pgboss', 'ltijs']
 */
export async function resetDatabase<DB>(db: Kysely<DB>, schemas: string[]): Promise<DatabaseReset> {
  const all = ['public', ...schemas.filter((s) => s !== 'public')];
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ schema: string; tables: number }>`
      SELECT n.nspname AS schema, count(c.oid)::int AS tables
      FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p')
      WHERE n.nspname IN (${sql.join(all)}) GROUP BY n.nspname ORDER BY n.nspname`.execute(trx);
    for (const { schema } of rows) await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(trx);
    // As a new database has it (PostgreSQL 15+ makes the database owner its owner; this user is).
    await sql`CREATE SCHEMA public`.execute(trx);
    await sql`GRANT USAGE ON SCHEMA public TO PUBLIC`.execute(trx);
    return {
      droppedSchemas: rows.map((r) => r.schema),
      droppedTables: rows.reduce((n, r) => n + r.tables, 0),
    };
  });
}
