import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConflictError, ValidationError } from '../errors.js';
import type { Database } from '../storage/schema.js';
import { withTransaction } from '../storage/transaction.js';
import type { CohortRepository } from '../storage/repositories/cohort-repository.js';
import type { ProgramRepository } from '../storage/repositories/program-repository.js';
import {
  randomize,
  RandomizationInputError,
  type RandomizationDesign,
  type RandomizationRecord,
} from './randomization.js';
import { randomizeSchema, type RandomizeInput } from './program-schema.js';
import { parseInput } from '../validation.js';
import type { CohortMemberRow, CohortSummary } from './model.js';

export interface RandomizationOutcome {
  programId: string;
  seed: number;
  record: RandomizationRecord;
  cohorts: CohortSummary[];
  participantCount: number;
}

export interface CohortService {
  /**
   * Randomizes the program's pool into one cohort per arm, in one transaction, once: assignments are
   * never redrawn (a second call is a conflict naming the recorded seed).
   */
  randomize(tenantId: string, programId: string, input: RandomizeInput): Promise<RandomizationOutcome>;
  /**
   * Puts a pool of people (by criteria or employee ids) into one participant cohort, without a
   * comparison group: for programs offered to everyone eligible (attribution then falls back to the
   * trend line or to matching against non-participants). One transaction; a person already in the
   * program is a conflict.
   */
  enroll(
    tenantId: string,
    programId: string,
    input: { name?: string; pool: RandomizeInput['pool']; source?: 'criteria' | 'csv' | 'roster' },
  ): Promise<CohortSummary[]>;
  cohorts(tenantId: string, programId: string): Promise<CohortSummary[]>;
  /** Every member of the program's cohorts with their arm and employee id. */
  members(tenantId: string, programId: string): Promise<CohortMemberRow[]>;
}

/** Which kind of arm a name denotes: "control"/"comparison" are controls; the first other arm is treatment. */
function armKind(name: string, index: number): 'treatment' | 'control' | 'variant' {
  if (/^(control|comparison|waitlist|wait-list)\b/i.test(name)) return 'control';
  return index === 0 ? 'treatment' : 'variant';
}

export function createCohortService(deps: {
  db: Kysely<Database>;
  programs: ProgramRepository;
  cohorts: CohortRepository;
}): CohortService {
  return {
    async randomize(tenantId, programId, input) {
      const options = parseInput(randomizeSchema, input, 'randomization');
      const seed = options.seed ?? randomInt(0, 2 ** 47);
      const design: RandomizationDesign =
        options.algorithm === 'simple'
          ? { algorithm: 'simple', arms: options.arms, seed }
          : {
              algorithm: 'permuted-blocks',
              arms: options.arms,
              seed,
              blockSizes: options.blockSizes,
              strata: options.strata,
            };
      const outcome = await withTransaction(deps.db, async (trx) => {
        if (!(await deps.programs.lock(trx, tenantId, programId))) {
          throw new ValidationError('That program does not exist in this tenant.');
        }
        const existing = await deps.cohorts.findRandomization(trx, tenantId, programId);
        if (existing) {
          throw new ConflictError(
            `This program was already randomized on ${existing.createdAt.toISOString().slice(0, 10)} (${existing.algorithm}, seed ${existing.seed}, ${existing.participantCount} people); randomized assignments are never redrawn.`,
          );
        }
        const pool = await deps.cohorts.pool(trx, tenantId, options.pool);
        if (options.pool.employeeIds) {
          const found = new Set(pool.map((p) => p.employeeId));
          const missing = options.pool.employeeIds.filter((id) => !found.has(id));
          if (missing.length) {
            throw new ValidationError(
              `${missing.length} employee id(s) are not known people of this tenant: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}. Import them first.`,
            );
          }
        }
        let result;
        try {
          result = randomize(
            pool.map((p) => ({ id: p.personId, attributes: p.attributes })),
            design,
          );
        } catch (err) {
          if (err instanceof RandomizationInputError) throw new ValidationError(err.message);
          throw err;
        }
        const cohortIds = new Map<string, string>();
        for (const [i, arm] of options.arms.entries()) {
          cohortIds.set(
            arm.name,
            await deps.cohorts.insertCohort(trx, tenantId, {
              programId,
              name: arm.name,
              arm: armKind(arm.name, i),
              source: 'randomization',
            }),
          );
        }
        await deps.cohorts.insertMembers(
          trx,
          tenantId,
          programId,
          result.assignments.map((a) => ({
            personId: a.participantId,
            cohortId: cohortIds.get(a.arm)!,
            stratum: a.stratum,
            block: a.block,
          })),
        );
        await deps.cohorts.insertRandomization(trx, tenantId, programId, {
          algorithm: design.algorithm,
          seed,
          record: result.record,
          participantCount: pool.length,
        });
        return { record: result.record, participantCount: pool.length };
      });
      return { programId, seed, ...outcome, cohorts: await deps.cohorts.cohorts(tenantId, programId) };
    },
    async enroll(tenantId, programId, input) {
      const { pool: filter } = parseInput(
        randomizeSchema.pick({ pool: true }),
        { pool: input.pool },
        'cohort',
      );
      const name = (input.name ?? 'Participants').trim() || 'Participants';
      await withTransaction(deps.db, async (trx) => {
        if (!(await deps.programs.lock(trx, tenantId, programId)))
          throw new ValidationError('That program does not exist in this tenant.');
        const pool = await deps.cohorts.pool(trx, tenantId, filter);
        if (pool.length === 0)
          throw new ValidationError('No person matches; import people or loosen the criteria.');
        const cohortId = await deps.cohorts.insertCohort(trx, tenantId, {
          programId,
          name,
          arm: 'treatment',
          source: input.source ?? (filter.employeeIds ? 'csv' : 'criteria'),
        });
        await deps.cohorts.insertMembers(
          trx,
          tenantId,
          programId,
          pool.map((p) => ({ personId: p.personId, cohortId, stratum: null, block: null })),
        );
      });
      return deps.cohorts.cohorts(tenantId, programId);
    },
    cohorts: (tenantId, programId) => deps.cohorts.cohorts(tenantId, programId),
    members: (tenantId, programId) => deps.cohorts.members(tenantId, programId),
  };
}
