import { ValidationError } from '../errors.js';
import { fullyLoadedCost, type CostModelInput } from '../reports/roi/cost-model.js';
import { StatsInputError } from '../reports/stats/stats-input-error.js';
import type { ProgramEconomicsRepository } from '../storage/repositories/program-economics-repository.js';
import { sanitizeRichText } from '../text/sanitize.js';
import {
  assumptionSchema,
  costModelSchema,
  effectSchema,
  eventSchema,
  evidenceSchema,
  type AssumptionInput,
  type CostModelInputJson,
  type EffectInput,
} from './economics-schema.js';
import { parseInput } from '../validation.js';
import type { z } from 'zod';

/**
 * Setting up the money side of a program: costs, monetization assumptions, intangibles, attributed
 * effects, confounding events and qualitative evidence. Everything is validated before it is stored.
 */
export function createProgramEconomicsService(deps: { economics: ProgramEconomicsRepository }) {
  const { economics } = deps;
  return {
    /** What is stored, for the setup pages. */
    costModel: (tenantId: string, programId: string) => economics.costModel(tenantId, programId),
    assumptions: (tenantId: string, programId: string) => economics.assumptions(tenantId, programId),
    intangibles: (tenantId: string, programId: string) => economics.intangibles(tenantId, programId),
    effects: (tenantId: string, programId: string) => economics.effects(tenantId, programId),
    evidence: (tenantId: string, programId: string) => economics.evidence(tenantId, programId),
    /** Confounding events of the program and tenant-wide ones, any date. */
    events: (tenantId: string, programId: string) =>
      economics.eventsOverlapping(tenantId, programId, null, null),

    async setCostModel(tenantId: string, programId: string, input: CostModelInputJson) {
      const { currency, ...model } = parseInput(costModelSchema, input, 'cost model');
      try {
        fullyLoadedCost(model as CostModelInput); // the calculator's own checks, before anything is stored
      } catch (err) {
        if (err instanceof StatsInputError)
          throw new ValidationError(`The cost model is not valid: ${err.message}`);
        throw err;
      }
      await economics.saveCostModel(tenantId, programId, model, currency);
    },

    async setAssumption(tenantId: string, programId: string, input: AssumptionInput) {
      const a = parseInput(assumptionSchema, input, 'monetization assumption');
      await economics.saveAssumption(tenantId, programId, {
        outcome: a.outcome,
        perspective: a.perspective,
        label: a.label,
        unit: a.unit,
        valuePerUnit: String(a.valuePerUnit),
        source: a.source,
        confidence: String(a.confidencePercent / 100),
      });
    },

    async setIntangibles(tenantId: string, programId: string, labels: string[]) {
      const clean = [...new Set(labels.map((l) => l.trim()).filter(Boolean))];
      if (clean.some((l) => l.length > 200))
        throw new ValidationError('An intangible is a short label (200 characters at most).');
      await economics.replaceIntangibles(tenantId, programId, clean);
    },

    async recordEffect(tenantId: string, programId: string, input: EffectInput) {
      const e = parseInput(effectSchema, input, 'effect');
      await economics.saveEffect(tenantId, programId, {
        outcome: e.outcome,
        unitsPerParticipant: String(e.unitsPerParticipant),
        lower: e.lower === undefined ? null : String(e.lower),
        upper: e.upper === undefined ? null : String(e.upper),
        participants: e.participants,
        method: e.method,
        note: e.note,
      });
    },

    async addEvent(tenantId: string, programId: string, input: z.input<typeof eventSchema>) {
      const e = parseInput(eventSchema, input, 'confounding event');
      return economics.insertEvent(tenantId, {
        programId: e.tenantWide ? null : programId,
        startsOn: e.startsOn,
        endsOn: e.endsOn ?? null,
        title: e.title,
        description: e.description,
      });
    },

    async addEvidence(tenantId: string, programId: string, input: z.input<typeof evidenceSchema>) {
      const e = parseInput(evidenceSchema, input, 'evidence');
      const bodyHtml = sanitizeRichText(e.body);
      if (!bodyHtml.replace(/<[^>]*>/g, '').trim())
        throw new ValidationError('The evidence has no text left once unsafe markup is removed.');
      return economics.insertEvidence(tenantId, programId, {
        kind: e.kind,
        title: e.title,
        bodyHtml,
        author: e.author,
        recordedOn: e.recordedOn ?? new Date().toISOString().slice(0, 10),
      });
    },
  };
}

export type ProgramEconomicsService = ReturnType<typeof createProgramEconomicsService>;
