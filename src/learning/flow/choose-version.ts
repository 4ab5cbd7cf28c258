import type { ModuleRepository, ModuleVersion } from '../../storage/repositories/module-repository.js';

/** Who is about to start an attempt (content experiments may pick a version per learner later). */
export interface VersionChoiceInput {
  tenantId: string;
  moduleId: string;
  userId: string;
}

/**
 * The module version a new attempt uses: today the newest published one. The one place to change when
 * content experiments assign learners to versions; an open attempt always keeps the version it began on.
 * Undefined when the module has no published version.
 */
export async function chooseVersion(
  modules: Pick<ModuleRepository, 'latestPublished'>,
  input: VersionChoiceInput,
): Promise<ModuleVersion | undefined> {
  return modules.latestPublished(input.tenantId, input.moduleId);
}
