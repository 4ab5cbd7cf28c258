import { sql, type Kysely } from 'kysely';

/** Tenants: one customer organization each. Every other table of tenant data references it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tenant (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$'),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // Names are unique whatever their case: "Acme" and "acme" would confuse every admin.
  await sql`CREATE UNIQUE INDEX tenant_name_key ON tenant (lower(name))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE tenant`.execute(db);
}
