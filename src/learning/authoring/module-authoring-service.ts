import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { withTransaction } from '../../storage/transaction.js';
import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { ProgramRepository } from '../../storage/repositories/program-repository.js';
import { parseInput } from '../../validation.js';
import { checkModuleContent, type FieldError } from './module-content-schema.js';
import { MODULE_FORMAT, parseModuleImport, type ModuleExport } from './module-export.js';
import type { LearningModule, ModuleVersion } from '../model.js';

export interface ModuleSummary extends LearningModule {
  /** The newest published version (what new attempts get), or null before the first publish. */
  publishedVersion: number | null;
  /** The draft's version number, or null when there is no draft. */
  draftVersion: number | null;
}

export interface ModuleDetail {
  module: LearningModule;
  versions: ModuleVersion[];
}

const metadataSchema = z.object({
  title: z
    .string({ error: 'give the module a title' })
    .trim()
    .min(1, 'give the module a title')
    .max(200, 'the title is longer than 200 characters'),
  programId: z.string().uuid('pick a program from the list').nullish(),
});
const linkSchema = z.object({
  contextId: z.string().uuid('give the course id (a uuid, from the course report address)'),
  resourceLinkId: z.string().trim().min(1, 'give the LMS resource link id').max(255),
});

export type ModuleMetadata = z.input<typeof metadataSchema>;

export interface ModuleAuthoringService {
  create(tenantId: string, input: ModuleMetadata): Promise<LearningModule>;
  updateMetadata(tenantId: string, moduleId: string, input: ModuleMetadata): Promise<LearningModule>;
  list(tenantId: string): Promise<ModuleSummary[]>;
  /** The module and all its versions, oldest first. NotFoundError when it is not the tenant's. */
  get(tenantId: string, moduleId: string): Promise<ModuleDetail>;
  version(tenantId: string, moduleId: string, version: number): Promise<ModuleVersion>;
  /** The draft, or undefined when the module has none. */
  draft(tenantId: string, moduleId: string): Promise<ModuleVersion | undefined>;
  /**
   * Validates `content` and writes it as the module's draft (replacing the draft, or starting one
   * numbered after the last version). Invalid content throws ValidationError with one detail per field
   * (JSON paths) and writes nothing.
   */
  saveDraft(tenantId: string, moduleId: string, content: unknown): Promise<ModuleVersion>;
  /** Turns the draft into the next immutable published version. */
  publish(tenantId: string, moduleId: string): Promise<ModuleVersion>;
  /** One version in the yardstick-module/1 format; the newest published one when `version` is absent. */
  exportVersion(tenantId: string, moduleId: string, version?: number): Promise<ModuleExport>;
  /**
   * Imports a yardstick-module/1 file (text or parsed JSON): a new module (titled from the file), or,
   * with `moduleId`, a new draft of that module. All or nothing: invalid files write nothing.
   */
  importModule(
    tenantId: string,
    file: unknown,
    options?: { moduleId?: string; programId?: string | null },
  ): Promise<{ module: LearningModule; draft: ModuleVersion }>;
  /**
   * Binds an LMS resource link in a course (`course_context.id`, as the course report's address shows
   * it) to the module; a link bound before moves to this module.
   */
  link(tenantId: string, moduleId: string, contextId: string, resourceLinkId: string): Promise<void>;
  links(
    tenantId: string,
    moduleId: string,
  ): Promise<{ contextId: string; resourceLinkId: string; createdAt: Date }[]>;
}

function invalidContent(errors: FieldError[], what: string): ValidationError {
  const shown = errors.slice(0, 5).map((e) => `${e.path || '(root)'}: ${e.message}`);
  const more = errors.length > 5 ? ` and ${errors.length - 5} more` : '';
  return new ValidationError(
    `The ${what} is not valid: ${shown.join('; ')}${more}. Fix these fields and try again.`,
    errors.map((e) => ({ path: e.path, message: e.message })),
  );
}

/** Module authoring: modules, drafts, publishing, and JSON import/export (issue #6). */
export function createModuleAuthoringService(deps: {
  db: Kysely<Database>;
  modules: ModuleRepository;
  programs: ProgramRepository;
}): ModuleAuthoringService {
  const { modules } = deps;

  async function requireModule(tenantId: string, moduleId: string): Promise<LearningModule> {
    const found = z.string().uuid().safeParse(moduleId).success
      ? await modules.findById(tenantId, moduleId)
      : undefined;
    if (!found)
      throw new NotFoundError(
        `There is no module "${moduleId}" in this organization; list them with 'npx yardstick module list'.`,
      );
    return found;
  }

  async function checkMetadata(tenantId: string, input: ModuleMetadata, exceptId?: string) {
    const m = parseInput(metadataSchema, input, 'module');
    if (m.programId && !(await deps.programs.findById(tenantId, m.programId)))
      throw new ValidationError('That program does not exist in this organization; pick one from the list.', [
        { path: 'programId', message: 'no such program' },
      ]);
    const clash = await modules.findByTitle(tenantId, m.title);
    if (clash && clash.id !== exceptId) throw titleTaken(m.title);
    return { title: m.title, programId: m.programId ?? null };
  }

  const titleTaken = (title: string) =>
    new ConflictError(`A module titled "${title}" already exists; choose another title.`, [
      { path: 'title', message: 'already used by another module' },
    ]);

  const renameConflicts = (title: string) => (err: unknown) => {
    if (err instanceof ConflictError && err.details.some((d) => d.path === 'module_title_key'))
      throw titleTaken(title);
    throw err;
  };

  return {
    async create(tenantId, input) {
      const m = await checkMetadata(tenantId, input);
      return modules.insert(tenantId, m).catch(renameConflicts(m.title));
    },

    async updateMetadata(tenantId, moduleId, input) {
      await requireModule(tenantId, moduleId);
      const m = await checkMetadata(tenantId, input, moduleId);
      const updated = await modules.update(tenantId, moduleId, m).catch(renameConflicts(m.title));
      return updated!;
    },

    list: (tenantId) => modules.summaries(tenantId),

    async get(tenantId, moduleId) {
      const module = await requireModule(tenantId, moduleId);
      return { module, versions: await modules.versions(tenantId, moduleId) };
    },

    async version(tenantId, moduleId, version) {
      await requireModule(tenantId, moduleId);
      const found = await modules.findVersion(tenantId, moduleId, version);
      if (!found) throw new NotFoundError(`Module ${moduleId} has no version ${version}.`);
      return found;
    },

    async draft(tenantId, moduleId) {
      const { versions } = await this.get(tenantId, moduleId);
      return versions.find((v) => v.status === 'draft');
    },

    async saveDraft(tenantId, moduleId, content) {
      await requireModule(tenantId, moduleId);
      const checked = checkModuleContent(content);
      if (!checked.ok) throw invalidContent(checked.errors, 'module content');
      return modules.saveDraft(tenantId, moduleId, checked.content);
    },

    async publish(tenantId, moduleId) {
      await requireModule(tenantId, moduleId);
      return withTransaction(deps.db, async (trx) => {
        const draft = (await modules.versions(tenantId, moduleId)).find((v) => v.status === 'draft');
        if (!draft)
          throw new PreconditionFailedError(
            'This module has no draft to publish; save a draft first (edit the module or import a file).',
          );
        const checked = checkModuleContent(draft.content);
        if (!checked.ok) throw invalidContent(checked.errors, `draft (version ${draft.version})`);
        const published = await modules.publishDraft(tenantId, moduleId, trx);
        if (!published)
          throw new ConflictError('The draft was published or replaced meanwhile; reload and try again.');
        return published;
      });
    },

    async exportVersion(tenantId, moduleId, version) {
      const module = await requireModule(tenantId, moduleId);
      const v =
        version === undefined
          ? await modules.latestPublished(tenantId, moduleId)
          : await modules.findVersion(tenantId, moduleId, version);
      if (!v)
        throw new NotFoundError(
          version === undefined
            ? `Module "${module.title}" has no published version yet; publish it or name the draft's version.`
            : `Module "${module.title}" has no version ${version}.`,
        );
      return {
        format: MODULE_FORMAT,
        title: module.title,
        version: v.version,
        status: v.status,
        moduleId: module.id,
        exportedAt: new Date().toISOString(),
        content: v.content,
      };
    },

    async importModule(tenantId, file, options = {}) {
      const parsed = parseModuleImport(file);
      if (!parsed.ok) throw invalidContent(parsed.errors, 'module file');
      if (options.moduleId) {
        const module = await requireModule(tenantId, options.moduleId);
        return { module, draft: await modules.saveDraft(tenantId, module.id, parsed.content) };
      }
      const meta = await checkMetadata(tenantId, { title: parsed.title, programId: options.programId });
      return withTransaction(deps.db, async (trx) => {
        const module = await modules.insert(tenantId, meta, trx).catch(renameConflicts(meta.title));
        return { module, draft: await modules.saveDraft(tenantId, module.id, parsed.content, trx) };
      });
    },

    async link(tenantId, moduleId, contextId, resourceLinkId) {
      await requireModule(tenantId, moduleId);
      const input = parseInput(linkSchema, { contextId, resourceLinkId }, 'link');
      await modules.link(tenantId, input.contextId, input.resourceLinkId, moduleId).catch((err) => {
        if (err instanceof ConflictError)
          throw new NotFoundError(
            'There is no such course in this organization; launch Yardstick from the course once, then use the id in its course report address.',
          );
        throw err;
      });
    },

    async links(tenantId, moduleId) {
      await requireModule(tenantId, moduleId);
      return modules.linksOf(tenantId, moduleId);
    },
  };
}
