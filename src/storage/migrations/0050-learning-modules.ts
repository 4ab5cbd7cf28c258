import { sql, type Kysely } from 'kysely';

/**
 * Learning modules (issue #6). A module belongs to a tenant and optionally to a program; its content
 * lives in numbered versions. A published version is immutable (a trigger refuses updates), edits go to
 * the one draft a module may have, and publishing turns the draft into the next published version.
 * A module link binds an LMS resource link (the assignment) to a module.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE module (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      program_id uuid,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id) ON DELETE SET NULL (program_id)
    )`.execute(db);
  // Authors find modules by title; two modules of one tenant never share one.
  await sql`CREATE UNIQUE INDEX module_title_key ON module (tenant_id, lower(title))`.execute(db);

  await sql`
    CREATE TABLE module_version (
      tenant_id uuid NOT NULL,
      module_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('draft', 'published')),
      content jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      PRIMARY KEY (tenant_id, module_id, version),
      FOREIGN KEY (tenant_id, module_id) REFERENCES module (tenant_id, id) ON DELETE CASCADE,
      CHECK ((status = 'published') = (published_at IS NOT NULL))
    )`.execute(db);
  // At most one draft per module.
  await sql`
    CREATE UNIQUE INDEX module_version_one_draft ON module_version (tenant_id, module_id)
      WHERE status = 'draft'`.execute(db);
  await sql`
    CREATE FUNCTION module_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'module % version % is published and cannot change; edit a new draft',
          OLD.module_id, OLD.version USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER module_version_immutable BEFORE UPDATE ON module_version
      FOR EACH ROW EXECUTE FUNCTION module_version_immutable()`.execute(db);

  await sql`
    CREATE TABLE module_link (
      tenant_id uuid NOT NULL,
      context_id uuid NOT NULL,
      resource_link_id text NOT NULL,
      module_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, context_id, resource_link_id),
      FOREIGN KEY (tenant_id, context_id) REFERENCES course_context (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, module_id) REFERENCES module (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // Reports list the links (assignments) of a module.
  await sql`CREATE INDEX module_link_module ON module_link (tenant_id, module_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE module_link`.execute(db);
  await sql`DROP TABLE module_version`.execute(db);
  await sql`DROP FUNCTION module_version_immutable()`.execute(db);
  await sql`DROP TABLE module`.execute(db);
}
