import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { ModuleVersion } from '../model.js';

/** Who is about to start an attempt. */
export interface VersionChoiceInput {
  tenantId: string;
  moduleId: string;
  userId: string;
}

/**
 * Picks the module version a new attempt uses; an open attempt always keeps the version it began on.
 * Undefined when the module has no published version.
 */
export type VersionChooser = (input: VersionChoiceInput) => Promise<ModuleVersion | undefined>;

/** Without experiments: the newest published version. */
export function newestPublished(modules: Pick<ModuleRepository, 'latestPublished'>): VersionChooser {
  return (input) => modules.latestPublished(input.tenantId, input.moduleId);
}

/**
 * With content experiments: a learner in a running experiment gets their arm's version (assigned and
 * stored on first use, keyed by the LTI user id), everyone else the newest published version.
 */
export function experimentArms(experiments: {
  versionForLearner(
    tenantId: string,
    moduleId: string,
    learnerKey: string,
  ): Promise<{ version: ModuleVersion }>;
}): VersionChooser {
  return async (input) =>
    (await experiments.versionForLearner(input.tenantId, input.moduleId, input.userId)).version;
}
