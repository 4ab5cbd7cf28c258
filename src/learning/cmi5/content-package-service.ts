import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { withTransaction } from '../../storage/transaction.js';
import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { ContentPackageRepository } from '../../storage/repositories/content-package-repository.js';
import { checkModuleContent } from '../authoring/module-content-schema.js';
import type { LearningModule, ModuleVersion } from '../model.js';
import type { Cmi5Au, Cmi5Course, Cmi5CourseItem, ModuleContent } from '../module-content.js';
import { iri } from '../vocabulary.js';
import { contentTypeOf } from './content-types.js';
import {
  COURSE_STRUCTURE_FILE,
  checkAuUrls,
  parseCourseStructure,
  type CourseStructure,
  type ParsedItem,
} from './course-structure.js';
import type { ContentPackage, PackageFile } from './model.js';
import { ContentPackageError, DEFAULT_PACKAGE_LIMITS, type PackageLimits } from './package-limits.js';
import { readZip, type ZipFile } from './zip-reader.js';

export interface ContentImport {
  module: LearningModule;
  /** The published version the package made. */
  version: ModuleVersion;
  package: ContentPackage;
  /** Whether the import created the module (false: a new version of the course's module). */
  createdModule: boolean;
  /** The AUs in course-structure order, each with the titles of the blocks it sits in. */
  aus: (Cmi5Au & { blocks: string[] })[];
}

export interface ContentPackageService {
  /**
   * Imports a cmi5 package (a zip with cmi5.xml at its root, cmi5 14.0): reads it safely (zip-reader),
   * checks its course structure, then in one transaction creates a module titled from the course (or
   * `title`), or, when a package of the same course id was imported before, the next version of that
   * module; publishes that version with the course's blocks and AUs as its content, and stores every
   * file. A refused package throws ContentPackageError (or ConflictError) and stores nothing.
   */
  importPackage(
    tenantId: string,
    zip: Buffer,
    options?: { title?: string; programId?: string | null },
  ): Promise<ContentImport>;
  /** A stored file; NotFoundError when the package or the path does not exist. */
  file(tenantId: string, packageId: string, path: string): Promise<PackageFile>;
  /** The packages that made the module's versions, oldest first. */
  packagesOfModule(tenantId: string, moduleId: string): Promise<ContentPackage[]>;
  /** The limits packages are checked against (an upload page reads at most `maxTotalBytes`). */
  readonly limits: Readonly<PackageLimits>;
}

const uuid = z.string().uuid();

/** cmi5 content packages (issue #19): import and the files they serve. */
export function createContentPackageService(deps: {
  db: Kysely<Database>;
  modules: ModuleRepository;
  packages: ContentPackageRepository;
  limits?: PackageLimits;
}): ContentPackageService {
  const limits = deps.limits ?? DEFAULT_PACKAGE_LIMITS;

  return {
    async importPackage(tenantId, zip, options = {}) {
      const sha256 = createHash('sha256').update(zip).digest('hex');
      const files = readZip(zip, limits);
      const structure = parseCourseStructure(courseStructureText(files));
      checkAuUrls(structure, new Set(files.map((f) => f.path)));
      const stored: PackageFile[] = files.map((f) => ({
        path: f.path,
        contentType: contentTypeOf(f.path),
        bytes: f.data,
      }));

      const same = await deps.packages.findBySha256(tenantId, sha256);
      if (same)
        throw new ConflictError(
          `This zip was imported before, as version ${same.moduleVersion} of module ${same.moduleId}; publish a newer package from the authoring tool to make a new version.`,
        );

      return withTransaction(deps.db, async (trx) => {
        const previous = await deps.packages.latestOfCourse(tenantId, structure.courseId, trx);
        const module = previous
          ? await requireModule(tenantId, previous.moduleId)
          : await createModule(tenantId, options.title ?? structure.title, options.programId ?? null, trx);
        const packageId = randomUUID();
        const course = toCourse(structure, packageId, (auId) => iri.au(tenantId, module.id, auId));
        const content: ModuleContent = { pages: [], cmi5: course };
        const checked = checkModuleContent(content);
        if (!checked.ok)
          throw new ContentPackageError(
            `The course structure makes an invalid module: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`,
            checked.errors,
          );
        await deps.modules.saveDraft(tenantId, module.id, checked.content, trx);
        const version = await deps.modules.publishDraft(tenantId, module.id, trx);
        if (!version) throw new ConflictError('The module changed meanwhile; import the package again.');
        const pkg = await deps.packages.insert(
          {
            tenantId,
            id: packageId,
            moduleId: module.id,
            moduleVersion: version.version,
            courseId: structure.courseId,
            title: structure.title,
            sha256,
          },
          stored,
          trx,
        );
        return {
          module,
          version,
          package: pkg,
          createdModule: !previous,
          aus: ausWithBlocks(course.items, []),
        };
      });
    },

    async file(tenantId, packageId, path) {
      const found =
        uuid.safeParse(tenantId).success && uuid.safeParse(packageId).success
          ? await deps.packages.file(tenantId, packageId, path)
          : undefined;
      if (!found) throw new NotFoundError(`The content package has no file "${path}".`);
      return found;
    },

    packagesOfModule: (tenantId, moduleId) => deps.packages.listOfModule(tenantId, moduleId),
    limits,
  };

  async function requireModule(tenantId: string, moduleId: string): Promise<LearningModule> {
    const found = await deps.modules.findById(tenantId, moduleId);
    if (!found) throw new NotFoundError(`The module ${moduleId} of this course was deleted; import again.`);
    return found;
  }

  async function createModule(
    tenantId: string,
    title: string,
    programId: string | null,
    trx: Kysely<Database>,
  ): Promise<LearningModule> {
    const taken = () =>
      new ConflictError(
        `A module titled "${title}" already exists and was not imported from this course; import with --title "<another title>", or rename the other module.`,
        [{ path: 'title', message: 'already used by another module' }],
      );
    if (title.length > 200)
      throw new ValidationError(
        `The course title is longer than 200 characters; import with --title "<a shorter title>".`,
      );
    if (await deps.modules.findByTitle(tenantId, title)) throw taken();
    return deps.modules.insert(tenantId, { title, programId }, trx).catch((err) => {
      throw err instanceof ConflictError ? taken() : err;
    });
  }
}

/** The text of cmi5.xml at the root of the package, without a byte order mark. */
function courseStructureText(files: ZipFile[]): string {
  const file = files.find((f) => f.path === COURSE_STRUCTURE_FILE);
  if (!file) {
    const nested = files.find((f) => f.path.endsWith(`/${COURSE_STRUCTURE_FILE}`));
    throw new ContentPackageError(
      nested
        ? `${COURSE_STRUCTURE_FILE} is not at the root of the zip but at "${nested.path}"; zip the contents of the published folder, not the folder itself.`
        : `The zip has no ${COURSE_STRUCTURE_FILE}, so it is not a cmi5 package; publish the course as cmi5 (not SCORM or xAPI/Tin Can) and import that zip.`,
    );
  }
  return file.data.toString('utf8').replace(/^\uFEFF/, '');
}

function toCourse(s: CourseStructure, packageId: string, activityIdOf: (auId: string) => string): Cmi5Course {
  const item = (i: ParsedItem): Cmi5CourseItem => {
    if (i.kind === 'block') return { kind: 'block', id: i.id, title: i.title, items: i.items.map(item) };
    const { line: _line, ...au } = i;
    return { ...au, activityId: activityIdOf(i.id) };
  };
  return {
    packageId,
    courseId: s.courseId,
    title: s.title,
    description: s.description,
    items: s.items.map(item),
  };
}

function ausWithBlocks(items: Cmi5CourseItem[], blocks: string[]): (Cmi5Au & { blocks: string[] })[] {
  return items.flatMap((i) =>
    i.kind === 'au' ? [{ ...i, blocks }] : ausWithBlocks(i.items, [...blocks, i.title]),
  );
}
