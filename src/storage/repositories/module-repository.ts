import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ModuleTable, ModuleVersionTable } from '../schema.js';
import { mapDatabaseError } from '../db-errors.js';
import type { LearningModule, ModuleContent, ModuleVersion } from '../../learning/model.js';

const toModule = (r: Selectable<ModuleTable>): LearningModule => ({
  tenantId: r.tenant_id,
  id: r.id,
  programId: r.program_id,
  title: r.title,
  createdAt: r.created_at,
});

const toVersion = (r: Selectable<ModuleVersionTable>): ModuleVersion => ({
  tenantId: r.tenant_id,
  moduleId: r.module_id,
  version: r.version,
  status: r.status,
  content: r.content as ModuleContent,
  createdAt: r.created_at,
  publishedAt: r.published_at,
});

/** SQL for modules, their versions and their LMS links. Every query names its tenant. */
export function createModuleRepository(db: Kysely<Database>) {
  return {
    async insert(
      tenantId: string,
      m: { title: string; programId?: string | null },
      trx: Kysely<Database> = db,
    ): Promise<LearningModule> {
      try {
        const row = await trx
          .insertInto('module')
          .values({ tenant_id: tenantId, title: m.title, program_id: m.programId ?? null })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toModule(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },

    async findById(tenantId: string, id: string): Promise<LearningModule | undefined> {
      const row = await db
        .selectFrom('module')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toModule(row);
    },

    async findByTitle(tenantId: string, title: string): Promise<LearningModule | undefined> {
      const row = await db
        .selectFrom('module')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where(sql`lower(title)`, '=', title.toLowerCase())
        .executeTakeFirst();
      return row && toModule(row);
    },

    /** Changes a module's title and program; returns undefined when the module does not exist. */
    async update(
      tenantId: string,
      id: string,
      m: { title: string; programId: string | null },
    ): Promise<LearningModule | undefined> {
      try {
        const row = await db
          .updateTable('module')
          .set({ title: m.title, program_id: m.programId })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        return row && toModule(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },

    async list(tenantId: string): Promise<LearningModule[]> {
      const rows = await db
        .selectFrom('module')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy(sql`lower(title)`)
        .execute();
      return rows.map(toModule);
    },

    /** Every module with its newest published and its draft version numbers, by title (one query). */
    async summaries(
      tenantId: string,
    ): Promise<(LearningModule & { publishedVersion: number | null; draftVersion: number | null })[]> {
      const rows = await db
        .selectFrom('module')
        .leftJoin('module_version as v', (j) =>
          j.onRef('v.tenant_id', '=', 'module.tenant_id').onRef('v.module_id', '=', 'module.id'),
        )
        .selectAll('module')
        .select([
          sql<number | null>`max(v.version) FILTER (WHERE v.status = 'published')`.as('published_version'),
          sql<number | null>`max(v.version) FILTER (WHERE v.status = 'draft')`.as('draft_version'),
        ])
        .where('module.tenant_id', '=', tenantId)
        .groupBy(['module.tenant_id', 'module.id'])
        .orderBy(sql`lower(module.title)`)
        .execute();
      return rows.map((r) => ({
        ...toModule(r),
        publishedVersion: r.published_version,
        draftVersion: r.draft_version,
      }));
    },

    /** The newest published version of every module that has one, with the module, by title. */
    async latestPublishedAll(
      tenantId: string,
    ): Promise<{ module: LearningModule; version: ModuleVersion }[]> {
      const rows = await db
        .selectFrom('module_version as v')
        .innerJoin('module as m', (j) =>
          j.onRef('m.tenant_id', '=', 'v.tenant_id').onRef('m.id', '=', 'v.module_id'),
        )
        .distinctOn('v.module_id')
        .selectAll('v')
        .select(['m.title', 'm.program_id', 'm.created_at as module_created_at'])
        .where('v.tenant_id', '=', tenantId)
        .where('v.status', '=', 'published')
        .orderBy('v.module_id')
        .orderBy('v.version', 'desc')
        .execute();
      return rows
        .map((r) => ({
          module: {
            tenantId: r.tenant_id,
            id: r.module_id,
            programId: r.program_id,
            title: r.title,
            createdAt: r.module_created_at,
          },
          version: toVersion(r),
        }))
        .sort((a, b) => a.module.title.toLowerCase().localeCompare(b.module.title.toLowerCase()));
    },

    /** Writes the module's draft: replaces the existing draft, or starts one numbered after the last. */
    async saveDraft(
      tenantId: string,
      moduleId: string,
      content: ModuleContent,
      trx: Kysely<Database> = db,
    ): Promise<ModuleVersion> {
      try {
        const json = JSON.stringify(content);
        const updated = await trx
          .updateTable('module_version')
          .set({ content: json })
          .where('tenant_id', '=', tenantId)
          .where('module_id', '=', moduleId)
          .where('status', '=', 'draft')
          .returningAll()
          .executeTakeFirst();
        if (updated) return toVersion(updated);
        const row = await trx
          .insertInto('module_version')
          .values((eb) => ({
            tenant_id: tenantId,
            module_id: moduleId,
            status: 'draft' as const,
            content: json,
            version: eb
              .selectFrom('module_version')
              .select(sql<number>`coalesce(max(version), 0) + 1`.as('next'))
              .where('tenant_id', '=', tenantId)
              .where('module_id', '=', moduleId),
          }))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toVersion(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },

    /** Publishes the draft; returns it, or undefined when the module has no draft. */
    async publishDraft(
      tenantId: string,
      moduleId: string,
      trx: Kysely<Database> = db,
    ): Promise<ModuleVersion | undefined> {
      const row = await trx
        .updateTable('module_version')
        .set({ status: 'published', published_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .where('module_id', '=', moduleId)
        .where('status', '=', 'draft')
        .returningAll()
        .executeTakeFirst();
      return row && toVersion(row);
    },

    async findVersion(
      tenantId: string,
      moduleId: string,
      version: number,
    ): Promise<ModuleVersion | undefined> {
      const row = await db
        .selectFrom('module_version')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('module_id', '=', moduleId)
        .where('version', '=', version)
        .executeTakeFirst();
      return row && toVersion(row);
    },

    /** The newest published version, which new attempts use. */
    async latestPublished(tenantId: string, moduleId: string): Promise<ModuleVersion | undefined> {
      const row = await db
        .selectFrom('module_version')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('module_id', '=', moduleId)
        .where('status', '=', 'published')
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toVersion(row);
    },

    async versions(tenantId: string, moduleId: string): Promise<ModuleVersion[]> {
      const rows = await db
        .selectFrom('module_version')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('module_id', '=', moduleId)
        .orderBy('version')
        .execute();
      return rows.map(toVersion);
    },

    /** Binds an LMS resource link (in a course context, `course_context.id`) to a module. */
    async link(tenantId: string, contextId: string, resourceLinkId: string, moduleId: string): Promise<void> {
      try {
        await db
          .insertInto('module_link')
          .values({
            tenant_id: tenantId,
            context_id: contextId,
            resource_link_id: resourceLinkId,
            module_id: moduleId,
          })
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'context_id', 'resource_link_id']).doUpdateSet({ module_id: moduleId }),
          )
          .execute();
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },

    /** The LMS resource links (assignments) bound to a module, oldest first. */
    async linksOf(
      tenantId: string,
      moduleId: string,
    ): Promise<{ contextId: string; resourceLinkId: string; createdAt: Date }[]> {
      const rows = await db
        .selectFrom('module_link')
        .select(['context_id', 'resource_link_id', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('module_id', '=', moduleId)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({
        contextId: r.context_id,
        resourceLinkId: r.resource_link_id,
        createdAt: r.created_at,
      }));
    },

    async moduleForLink(
      tenantId: string,
      contextId: string,
      resourceLinkId: string,
    ): Promise<LearningModule | undefined> {
      const row = await db
        .selectFrom('module_link')
        .innerJoin('module', (j) =>
          j
            .onRef('module.tenant_id', '=', 'module_link.tenant_id')
            .onRef('module.id', '=', 'module_link.module_id'),
        )
        .selectAll('module')
        .where('module_link.tenant_id', '=', tenantId)
        .where('module_link.context_id', '=', contextId)
        .where('module_link.resource_link_id', '=', resourceLinkId)
        .executeTakeFirst();
      return row && toModule(row);
    },
  };
}

export type ModuleRepository = ReturnType<typeof createModuleRepository>;
