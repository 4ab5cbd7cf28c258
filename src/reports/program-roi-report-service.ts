import { ValidationError } from '../errors.js';
import { findMetric } from '../outcomes/metrics.js';

type OutcomeSource = MetricDefinition['source'];
import type { EffectRow, EventRow, EvidenceRow, Program } from '../cohorts/model.js';
import type { MetricDefinition } from '../outcomes/model.js';
import type { ProgramEconomicsRepository } from '../storage/repositories/program-economics-repository.js';
import type { BenefitItem } from './roi/benefit-model.js';
import type { CostModelInput } from './roi/cost-model.js';
import { multiply, rational, toFixed, toRational, type Rational } from './roi/exact.js';
import { programRoi, type ProgramInput, type ProgramRoi } from './roi/program-roi.js';
import { sensitivityTable } from './roi/sensitivity.js';
import { bootstrapProgramRoi, programSeed, type RoiBootstrapSummary } from './program-roi-bootstrap.js';
import { StatsInputError } from './stats/stats-input-error.js';

/** How each stored effect was attributed, in words for every page that shows it. */
export const METHOD_NAMES: Record<EffectRow['method'], string> = {
  randomized: 'randomized comparison (difference in means)',
  did: 'difference-in-differences',
  psm: 'propensity-score matching',
  trend: 'trend-line fallback (no comparison group)',
  manual: 'entered by an analyst',
};

/** Money as exact decimal text with 2 places, and ROI in percent with 1 place (ROI 2.0 = "200.0"). */
export interface RoiFigures {
  benefit: string;
  cost: string;
  netBenefit: string;
  roiPercent: string;
  benefitCostRatio: string;
  paybackMonths: string | null;
}

export interface ProgramRoiReport {
  program: { id: string; name: string; perspective: string; horizonYears: number };
  currency: string;
  /** Confidence-adjusted (Phillips' conservative convention) and as measured. */
  adjusted: RoiFigures;
  unadjusted: RoiFigures;
  /** ROI with every effect at the lower, then the upper, end of its interval; null if an effect has none. */
  interval: { lower: RoiFigures; upper: RoiFigures; note: string } | null;
  /** Participant bootstrap of the adjusted ROI; its conservative lower bound is the headline. */
  bootstrap: RoiBootstrapSummary | null;
  bootstrapUnavailable: string | null;
  /** When the report was built (ISO), and the newest effect estimate it rests on. */
  builtAt: string;
  effectsAsOf: string | null;
  /** The newest outcome date behind the monetized effects (YYYY-MM-DD), when known. */
  dataAsOf: string | null;
  benefits: {
    outcome: string;
    label: string;
    method: string;
    unitsPerParticipant: string;
    participants: number;
    unit: string;
    valuePerUnit: string;
    source: string;
    confidencePercent: string;
    annualValue: string;
    annualValueAdjusted: string;
  }[];
  costs: { category: string; label: string; amount: string }[];
  sensitivity: { assumption: string; minRoiPercent: string; maxRoiPercent: string; swing: string }[];
  intangibles: string[];
  confoundingEvents: EventRow[];
  evidence: EvidenceRow[];
  warnings: string[];
  assumptions: string[];
}

function figures(r: ProgramRoi): RoiFigures {
  const money = (x: Rational) => toFixed(x, 2);
  return {
    benefit: money(r.roi.benefit),
    cost: money(r.roi.cost),
    netBenefit: money(r.roi.netBenefit),
    roiPercent: toFixed(r.roi.roiPercent, 1),
    benefitCostRatio: toFixed(r.roi.benefitCostRatio, 2),
    paybackMonths: r.roi.paybackMonths === null ? null : toFixed(r.roi.paybackMonths, 1),
  };
}

/**
 * A program's Phillips ROI from what is stored: attributed effects x monetization assumptions (for
 * the program's money perspective) over its horizon, against the fully loaded cost. Every number is
 * computed by the pure calculators in reports/roi; this service only gathers inputs and says which
 * methods and assumptions each number rests on.
 */
export function createProgramRoiReportService(deps: {
  economics: ProgramEconomicsRepository;
  /** The newest outcome date stored for these outcome sources (YYYY-MM-DD), for "data as of". */
  latestOutcomeDate?: (tenantId: string, sources: OutcomeSource[]) => Promise<string | null>;
}) {
  const { economics } = deps;

  async function build(
    tenantId: string,
    program: Program,
    options: { resamples?: number; seed?: number } = {},
  ): Promise<ProgramRoiReport> {
    const [cost, assumptions, effects, intangibles, evidence, people] = await Promise.all([
      economics.costModel(tenantId, program.id),
      economics.assumptions(tenantId, program.id),
      economics.effects(tenantId, program.id),
      economics.intangibles(tenantId, program.id),
      economics.evidence(tenantId, program.id),
      economics.effectPeople(tenantId, program.id),
    ]);
    if (!cost)
      throw new ValidationError(
        `"${program.name}" has no cost model yet; enter its costs before asking for ROI.`,
      );
    const warnings: string[] = [];
    const monetized = effects.flatMap((effect) => {
      const a = assumptions.find(
        (x) => x.outcome === effect.outcome && x.perspective === program.moneyPerspective,
      );
      if (!a) {
        warnings.push(
          `The effect on ${effect.outcome} has no ${program.moneyPerspective} monetization assumption, so it is not counted.`,
        );
        return [];
      }
      return [{ effect, a }];
    });
    const bootstrap = () =>
      bootstrapProgramRoi({
        monetized: monetized.map(({ effect, a }) => ({ effect, assumption: a })),
        people,
        totalCost: toFixed(adjusted.cost.total, 2),
        horizonYears: program.benefitHorizonYears,
        seed: options.seed ?? programSeed(program.id),
        resamples: options.resamples,
      });
    if (monetized.length === 0)
      throw new ValidationError(
        `"${program.name}" has no monetized effects yet; record an effect and its monetization assumption.`,
      );

    const input = (pick: (e: EffectRow) => string, adjust: boolean): ProgramInput => ({
      cost: cost.model as CostModelInput,
      benefit: {
        items: monetized.map(({ effect, a }): BenefitItem => ({
          label: a.label,
          units: multiply(toRational(pick(effect)), rational(BigInt(effect.participants))),
          valuePerUnit: a.valuePerUnit,
          confidence: a.confidence,
        })),
        adjustForConfidence: adjust,
        horizonYears: program.benefitHorizonYears,
        intangibles,
      },
    });
    const compute = (p: ProgramInput) => {
      try {
        return programRoi(p);
      } catch (err) {
        if (err instanceof StatsInputError)
          throw new ValidationError(`ROI cannot be computed: ${err.message}`);
        throw err;
      }
    };
    const point = (e: EffectRow) => e.unitsPerParticipant;
    const adjusted = compute(input(point, true));
    const unadjusted = compute(input(point, false));
    const withBounds = monetized.every(({ effect }) => effect.lower !== null && effect.upper !== null);
    if (!withBounds) warnings.push('At least one effect has no interval, so the ROI has no interval either.');
    for (const { effect } of monetized) {
      if (effect.method === 'trend' || effect.method === 'manual') {
        warnings.push(
          `The effect on ${effect.outcome} comes from ${METHOD_NAMES[effect.method]}, not from a comparison group; treat it as indicative.`,
        );
      }
    }
    const sensitivity = sensitivityTable(input(point, true));
    const boot = bootstrap();
    const sources = monetized.flatMap(({ effect }) => {
      const m = findMetric(effect.outcome);
      return m ? [m.source] : [];
    });
    const dataAsOf =
      deps.latestOutcomeDate && sources.length ? await deps.latestOutcomeDate(tenantId, sources) : null;
    const effectsAsOf = monetized.reduce<Date | null>(
      (latest, { effect }) => (latest && latest > effect.estimatedAt ? latest : effect.estimatedAt),
      null,
    );
    const events = await economics.eventsOverlapping(
      tenantId,
      program.id,
      program.preWindow.start,
      program.postWindow.end,
    );
    if (events.length)
      warnings.push(
        `${events.length} confounding event(s) overlap the program's windows; see the list beside the estimate.`,
      );

    return {
      program: {
        id: program.id,
        name: program.name,
        perspective: program.moneyPerspective,
        horizonYears: program.benefitHorizonYears,
      },
      currency: cost.currency,
      adjusted: figures(adjusted),
      unadjusted: figures(unadjusted),
      interval: withBounds
        ? {
            lower: figures(compute(input((e) => e.lower!, true))),
            upper: figures(compute(input((e) => e.upper!, true))),
            note: 'every effect at the same end of its interval at once: a conservative range, not a joint confidence interval',
          }
        : null,
      bootstrap: boot.summary,
      bootstrapUnavailable: boot.unavailable,
      builtAt: new Date().toISOString(),
      effectsAsOf: effectsAsOf?.toISOString() ?? null,
      dataAsOf,
      benefits: monetized.map(({ effect, a }, i) => ({
        outcome: effect.outcome,
        label: a.label,
        method: METHOD_NAMES[effect.method],
        unitsPerParticipant: effect.unitsPerParticipant,
        participants: effect.participants,
        unit: a.unit,
        valuePerUnit: a.valuePerUnit,
        source: a.source,
        confidencePercent: toFixed(multiply(toRational(a.confidence), rational(100n)), 1),
        annualValue: toFixed(adjusted.benefit.lines[i]!.unadjusted, 2),
        annualValueAdjusted: toFixed(adjusted.benefit.lines[i]!.adjusted, 2),
      })),
      costs: adjusted.cost.lines.map((l) => ({
        category: l.category,
        label: l.label,
        amount: toFixed(l.amount, 2),
      })),
      sensitivity: sensitivity.rows.map((r) => ({
        assumption: r.assumption.name,
        minRoiPercent: toFixed(r.minRoiPercent, 1),
        maxRoiPercent: toFixed(r.maxRoiPercent, 1),
        swing: toFixed(r.swing, 1),
      })),
      intangibles,
      confoundingEvents: events,
      evidence,
      warnings,
      assumptions: [
        `Money from the ${program.moneyPerspective}'s perspective over ${program.benefitHorizonYears} year(s), undiscounted.`,
        'Benefit = attributed effect per participant x participants x value per unit; the adjusted figures multiply each benefit by its stated confidence (Phillips).',
        'Intangibles are listed and never monetized.',
      ],
    };
  }

  return {
    build,
    /** Builds the report and keeps it, so a board can later see exactly what was reported when. */
    async snapshot(tenantId: string, program: Program, kind: 'manual' | 'demo' = 'manual') {
      const report = await build(tenantId, program);
      const row = await economics.insertSnapshot(tenantId, program.id, report, {
        kind,
        dataAsOf: report.dataAsOf,
      });
      return row!; // only a scheduled snapshot can meet the once-a-day index
    },
    /**
     * The snapshot of a scheduled refresh: at most one per program, kind and day, so a retried job
     * adds nothing (returns undefined).
     */
    async scheduledSnapshot(
      tenantId: string,
      program: Program,
      meta: { kind: 'leading' | 'lagging'; scheduledFor: string },
    ) {
      const report = await build(tenantId, program);
      return economics.insertSnapshot(tenantId, program.id, report, { ...meta, dataAsOf: report.dataAsOf });
    },
    snapshots: (tenantId: string, programId: string) => economics.snapshots(tenantId, programId),
    findSnapshot: (tenantId: string, programId: string, id: string) =>
      economics.snapshot(tenantId, programId, id),
  };
}

export type ProgramRoiReportService = ReturnType<typeof createProgramRoiReportService>;
