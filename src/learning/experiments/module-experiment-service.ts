import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.js';
import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { ModuleExperimentRepository } from '../../storage/repositories/module-experiment-repository.js';
import { parseInput } from '../../validation.js';
import { EXTENSIONS, VERBS, iri } from '../vocabulary.js';
import { allocateArm } from './arm-allocation.js';
import { summarizeArms, type ExperimentResults } from './experiment-results.js';
import type { Arm, ArmAssignment, ModuleExperiment, ModuleVersion } from '../model.js';

const newExperimentSchema = z.object({
  name: z.string().trim().min(1, 'give the experiment a name').max(200),
  armAVersion: z.coerce.number().int().min(1, 'pick a published version for arm A'),
  armBVersion: z.coerce.number().int().min(1, 'pick a published version for arm B'),
  allocationA: z.coerce
    .number()
    .gt(0, 'the share of arm A must be above 0')
    .lt(1, 'the share of arm A must be below 1')
    .default(0.5),
  seed: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type NewExperimentInput = z.input<typeof newExperimentSchema>;

/** Which version a learner starts: the experiment's arm while one runs, else the newest published. */
export interface LearnerVersion {
  version: ModuleVersion;
  experimentId?: string;
  arm?: Arm;
}

export interface ModuleExperimentService {
  /** Starts an experiment between two published versions of a module (one running per module). */
  create(tenantId: string, moduleId: string, input: NewExperimentInput): Promise<ModuleExperiment>;
  list(tenantId: string, moduleId: string): Promise<ModuleExperiment[]>;
  get(tenantId: string, experimentId: string): Promise<ModuleExperiment>;
  stop(tenantId: string, experimentId: string): Promise<ModuleExperiment>;
  /**
   * The learner's arm: computed from the recorded seed on the first call and stored; later calls
   * return the stored arm. `target` names the experiment, or a module whose running experiment is meant.
   *
   * @param learnerKey a stable key of the learner within the tenant (the learner flow uses the LTI
   *   user id); never a name or an email that may change.
   */
  assignArm(
    tenantId: string,
    target: { experimentId: string } | { moduleId: string },
    learnerKey: string,
  ): Promise<ArmAssignment>;
  /**
   * THE entry point of the learner flow when it starts an attempt: the module version this learner
   * gets. With a running experiment, the learner's arm (assigned and stored on the first call);
   * otherwise the newest published version. PreconditionFailedError when nothing is published.
   */
  versionForLearner(tenantId: string, moduleId: string, learnerKey: string): Promise<LearnerVersion>;
  /** Per-arm completion, mastery and post-test score from the LRS, with intervals (B minus A). */
  results(tenantId: string, experimentId: string, confidence?: number): Promise<ExperimentResults>;
}

const learnerKeySchema = z.string().min(1, 'the learner key is empty').max(500);

/** Content A/B experiments on modules (issue #8). */
export function createModuleExperimentService(deps: {
  modules: ModuleRepository;
  experiments: ModuleExperimentRepository;
}): ModuleExperimentService {
  const { modules, experiments } = deps;

  async function requireExperiment(tenantId: string, id: string): Promise<ModuleExperiment> {
    const found = z.string().uuid().safeParse(id).success
      ? await experiments.findById(tenantId, id)
      : undefined;
    if (!found) throw new NotFoundError(`There is no experiment "${id}" in this organization.`);
    return found;
  }

  async function assign(tenantId: string, e: ModuleExperiment, learnerKey: string): Promise<ArmAssignment> {
    const key = parseInput(learnerKeySchema, learnerKey, 'learner key');
    const arm = allocateArm(e.seed, e.id, key, e.allocationA);
    return experiments.assign(tenantId, {
      experimentId: e.id,
      learnerKey: key,
      arm,
      version: arm === 'A' ? e.armAVersion : e.armBVersion,
    });
  }

  return {
    async create(tenantId, moduleId, input) {
      const module = z.string().uuid().safeParse(moduleId).success
        ? await modules.findById(tenantId, moduleId)
        : undefined;
      if (!module) throw new NotFoundError(`There is no module "${moduleId}" in this organization.`);
      const e = parseInput(newExperimentSchema, input, 'experiment');
      if (e.armAVersion === e.armBVersion)
        throw new ValidationError('The two arms must use different versions.', [
          { path: 'armBVersion', message: 'same version as arm A' },
        ]);
      for (const [path, version] of [
        ['armAVersion', e.armAVersion],
        ['armBVersion', e.armBVersion],
      ] as const) {
        const v = await modules.findVersion(tenantId, moduleId, version);
        if (v?.status !== 'published')
          throw new ValidationError(`Version ${version} is not a published version of this module.`, [
            { path, message: 'pick a published version' },
          ]);
      }
      if (await experiments.running(tenantId, moduleId))
        throw new ConflictError(
          'This module already has a running experiment; stop it before starting another.',
        );
      return experiments
        .insert(tenantId, { moduleId, ...e, seed: e.seed ?? randomInt(0, 2 ** 47) })
        .catch((err: unknown) => {
          if (err instanceof ConflictError)
            throw new ConflictError(
              'This module already has a running experiment; stop it before starting another.',
            );
          throw err;
        });
    },

    list: (tenantId, moduleId) => experiments.listForModule(tenantId, moduleId),

    get: requireExperiment,

    async stop(tenantId, experimentId) {
      await requireExperiment(tenantId, experimentId);
      const stopped = await experiments.stop(tenantId, experimentId);
      if (!stopped) throw new PreconditionFailedError('This experiment is already stopped.');
      return stopped;
    },

    async assignArm(tenantId, target, learnerKey) {
      let e: ModuleExperiment | undefined;
      if ('experimentId' in target) e = await requireExperiment(tenantId, target.experimentId);
      else e = await experiments.running(tenantId, target.moduleId);
      if (!e || e.status !== 'running')
        throw new PreconditionFailedError('There is no running experiment to assign this learner to.');
      return assign(tenantId, e, learnerKey);
    },

    async versionForLearner(tenantId, moduleId, learnerKey) {
      const running = await experiments.running(tenantId, moduleId);
      if (running) {
        const a = await assign(tenantId, running, learnerKey);
        const version = await modules.findVersion(tenantId, moduleId, a.version);
        return { version: version!, experimentId: running.id, arm: a.arm };
      }
      const latest = await modules.latestPublished(tenantId, moduleId);
      if (!latest)
        throw new PreconditionFailedError(
          'This module has no published version yet; ask an administrator to publish it.',
        );
      return { version: latest };
    },

    async results(tenantId, experimentId, confidence = 0.95) {
      const e = await requireExperiment(tenantId, experimentId);
      const outcomes = await experiments.armOutcomes(tenantId, {
        moduleIri: iri.module(tenantId, e.moduleId),
        versionExtension: EXTENSIONS.moduleVersion,
        versions: [e.armAVersion, e.armBVersion],
        since: e.startedAt,
        until: e.stoppedAt,
        verbs: VERBS,
      });
      const assigned = await experiments.assignmentCounts(tenantId, e.id);
      return summarizeArms(e, outcomes, assigned, confidence);
    },
  };
}
