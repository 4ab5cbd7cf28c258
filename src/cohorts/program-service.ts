import { ConflictError, NotFoundError } from '../errors.js';
import type { ProgramRepository } from '../storage/repositories/program-repository.js';
import { newProgramSchema, type NewProgramInput } from './program-schema.js';
import { parseInput } from '../validation.js';
import type { Program } from './model.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ProgramService {
  /**
   * `options.id` fixes the new program's id (composition code only, e.g. a demo that must give the same
   * bootstrap seed on every fresh database); otherwise the database draws one.
   */
  create(tenantId: string, input: NewProgramInput, options?: { id?: string }): Promise<Program>;
  /** Replaces every setting of a program (a full form); unknown programs are not found. */
  update(tenantId: string, id: string, input: NewProgramInput): Promise<Program>;
  list(tenantId: string): Promise<Program[]>;
  /** By id or by name (case-insensitive); NotFoundError says how to list programs. */
  get(tenantId: string, idOrName: string): Promise<Program>;
}

/** Pilot programs: what a training is meant to move, when, and whose money counts. */
export function createProgramService(deps: { programs: ProgramRepository }): ProgramService {
  return {
    async create(tenantId, input, options = {}) {
      const program = parseInput(newProgramSchema, input, 'program');
      try {
        return await deps.programs.insert(tenantId, program, options.id);
      } catch (err) {
        if (err instanceof ConflictError) {
          throw new ConflictError(
            `A program named "${program.name}" already exists in this tenant; choose another name.`,
          );
        }
        throw err;
      }
    },
    async update(tenantId, id, input) {
      const p = parseInput(newProgramSchema, input, 'program');
      try {
        const updated = await deps.programs.update(tenantId, id, {
          ...p,
          preWindow: p.preWindow ?? { start: null, end: null },
          postWindow: p.postWindow ?? { start: null, end: null },
        });
        if (!updated) throw new NotFoundError('There is no such program in this tenant.');
        return updated;
      } catch (err) {
        if (err instanceof ConflictError)
          throw new ConflictError(
            `A program named "${p.name}" already exists in this tenant; choose another name.`,
          );
        throw err;
      }
    },
    list: (tenantId) => deps.programs.list(tenantId),
    async get(tenantId, idOrName) {
      const program = UUID.test(idOrName)
        ? await deps.programs.findById(tenantId, idOrName)
        : await deps.programs.findByName(tenantId, idOrName);
      if (!program) {
        throw new NotFoundError(
          `There is no program "${idOrName}" in this tenant; run 'npx yardstick program list' to see them.`,
        );
      }
      return program;
    },
  };
}
