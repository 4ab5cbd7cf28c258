import type { Kysely, Selectable } from 'kysely';
import type { ContentPackageTable, Database } from '../schema.js';
import type { ContentPackage, PackageFile } from '../../learning/cmi5/model.js';

const toPackage = (r: Selectable<ContentPackageTable>): ContentPackage => ({
  tenantId: r.tenant_id,
  id: r.id,
  moduleId: r.module_id,
  moduleVersion: r.module_version,
  courseId: r.course_id,
  title: r.title,
  sha256: r.sha256,
  fileCount: r.file_count,
  totalBytes: Number(r.total_bytes),
  createdAt: r.created_at,
});

/** Rows per INSERT of package files: keeps one statement's parameters and memory bounded. */
const FILES_PER_INSERT = 50;

/** SQL for cmi5 content packages and their files. Every query names its tenant. */
export function createContentPackageRepository(db: Kysely<Database>) {
  return {
    /** Stores a package and all its files (pass the import's transaction: all or nothing). */
    async insert(
      p: Omit<ContentPackage, 'createdAt' | 'fileCount' | 'totalBytes'>,
      files: PackageFile[],
      trx: Kysely<Database> = db,
    ): Promise<ContentPackage> {
      const row = await trx
        .insertInto('content_package')
        .values({
          tenant_id: p.tenantId,
          id: p.id,
          module_id: p.moduleId,
          module_version: p.moduleVersion,
          course_id: p.courseId,
          title: p.title,
          sha256: p.sha256,
          file_count: files.length,
          total_bytes: files.reduce((sum, f) => sum + f.bytes.length, 0),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      for (let i = 0; i < files.length; i += FILES_PER_INSERT)
        await trx
          .insertInto('content_package_file')
          .values(
            files.slice(i, i + FILES_PER_INSERT).map((f) => ({
              tenant_id: p.tenantId,
              package_id: p.id,
              path: f.path,
              content_type: f.contentType,
              bytes: f.bytes,
            })),
          )
          .execute();
      return toPackage(row);
    },

    /** The newest package of a course (cmi5 course id) in the tenant, or undefined. */
    async latestOfCourse(
      tenantId: string,
      courseId: string,
      trx: Kysely<Database> = db,
    ): Promise<ContentPackage | undefined> {
      const row = await trx
        .selectFrom('content_package')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('course_id', '=', courseId)
        .orderBy('created_at', 'desc')
        .orderBy('module_version', 'desc')
        .executeTakeFirst();
      return row && toPackage(row);
    },

    async findBySha256(tenantId: string, sha256: string): Promise<ContentPackage | undefined> {
      const row = await db
        .selectFrom('content_package')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('sha256', '=', sha256)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return row && toPackage(row);
    },

    async listOfModule(tenantId: string, moduleId: string): Promise<ContentPackage[]> {
      const rows = await db
        .selectFrom('content_package')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('module_id', '=', moduleId)
        .orderBy('module_version')
        .execute();
      return rows.map(toPackage);
    },

    /** One stored file, or undefined when the package or the path does not exist. */
    async file(tenantId: string, packageId: string, path: string): Promise<PackageFile | undefined> {
      const row = await db
        .selectFrom('content_package_file')
        .select(['path', 'content_type', 'bytes'])
        .where('tenant_id', '=', tenantId)
        .where('package_id', '=', packageId)
        .where('path', '=', path)
        .executeTakeFirst();
      return row && { path: row.path, contentType: row.content_type, bytes: row.bytes };
    },
  };
}

export type ContentPackageRepository = ReturnType<typeof createContentPackageRepository>;
