import { sql, type Kysely } from 'kysely';

/**
 * cmi5 content packages (issue #19, docs/content-packages.md). A package is one imported zip: it made
 * one version of one module (`module_version`), and keeps the course id (cmi5 `course@id`) so that
 * importing a newer package of the same course makes the next version of the same module. Its files
 * are served read-only under /content/<tenant>/<package>/<path>; they never change after import.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE content_package (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      module_id uuid NOT NULL,
      module_version integer NOT NULL,
      course_id text NOT NULL,
      title text NOT NULL,
      sha256 text NOT NULL,
      file_count integer NOT NULL CHECK (file_count >= 1),
      total_bytes bigint NOT NULL CHECK (total_bytes >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, module_id, module_version),
      FOREIGN KEY (tenant_id, module_id, module_version)
        REFERENCES module_version (tenant_id, module_id, version) ON DELETE CASCADE
    )`.execute(db);
  // Re-imports find the module of a course; a zip imported twice is found by its hash.
  await sql`CREATE INDEX content_package_course ON content_package (tenant_id, course_id, created_at)`.execute(
    db,
  );

  await sql`
    CREATE TABLE content_package_file (
      tenant_id uuid NOT NULL,
      package_id uuid NOT NULL,
      path text NOT NULL CHECK (length(path) BETWEEN 1 AND 1024),
      content_type text NOT NULL,
      bytes bytea NOT NULL,
      PRIMARY KEY (tenant_id, package_id, path),
      FOREIGN KEY (tenant_id, package_id) REFERENCES content_package (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // Files are written once and read often; keep them out of TOAST compression (media is compressed).
  await sql`ALTER TABLE content_package_file ALTER COLUMN bytes SET STORAGE EXTERNAL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE content_package_file`.execute(db);
  await sql`DROP TABLE content_package`.execute(db);
}
