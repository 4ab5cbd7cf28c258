import { ValidationError } from '../errors.js';
import { findMetric } from '../outcomes/metrics.js';
import type { ProgramRepository } from '../storage/repositories/program-repository.js';
import type { ProgramEconomicsRepository } from '../storage/repositories/program-economics-repository.js';
import type { ProgramForecastRepository } from '../storage/repositories/program-forecast-repository.js';
import type { AttributionMethod, AttributionService } from './attribution-service.js';
import { benefitModel, type BenefitItem } from './roi/benefit-model.js';
import { fullyLoadedCost, type CostModelInput } from './roi/cost-model.js';
import {
  add,
  divide,
  multiply,
  rational,
  subtract,
  toFixed,
  toRational,
  type Rational,
} from './roi/exact.js';
import { StatsInputError } from './stats/stats-input-error.js';
import type { ForecastVersion, Program } from '../cohorts/model.js';

/** One year of the forecast; money as exact decimal text with 2 places. */
export interface ForecastYear {
  year: number;
  benefit: string;
  presentValue: string;
  cumulativePresentValue: string;
  /** Cumulative present value minus the full cost (spent up front). */
  cumulativeNet: string;
  /** Cumulative ROI in percent, 1 place. */
  cumulativeRoiPercent: string;
  /** The same with every effect at the lower end of its interval; null if an effect has none. */
  conservativeCumulativeRoiPercent: string | null;
}

export interface Forecast {
  currency: string;
  cost: string;
  years: ForecastYear[];
  effects: {
    outcome: string;
    method: string;
    unitsPerParticipant: string;
    participants: number;
    estimatedAt: string;
  }[];
  /** Effects re-estimated from outcome data for this version, and those that could not be. */
  reestimated: { outcome: string; method: string; ok: boolean; message?: string }[];
  assumptions: string[];
  warnings: string[];
}

const DATA_METHODS: readonly AttributionMethod[] = ['randomized', 'did', 'psm', 'trend'];

/**
 * The rolling multi-year forecast: effects re-estimated from the outcome data now stored, monetized
 * with the program's assumptions, carried over the program's horizon with its discount rate and the
 * yearly decay of the effect (reports/roi/benefit-model.ts), against the fully loaded cost. Each run
 * adds a version; none is ever changed.
 */
export function createProgramForecastService(deps: {
  programs: ProgramRepository;
  economics: ProgramEconomicsRepository;
  forecasts: ProgramForecastRepository;
  attribution: AttributionService;
}) {
  /** Re-estimates the program's data-based effects (recording them) and notes what failed. */
  async function reestimate(tenantId: string, program: Program): Promise<Forecast['reestimated']> {
    const effects = await deps.economics.effects(tenantId, program.id);
    const out: Forecast['reestimated'] = [];
    for (const e of effects) {
      if (!DATA_METHODS.includes(e.method as AttributionMethod)) continue;
      try {
        await deps.attribution.estimate(tenantId, program, {
          outcome: e.outcome,
          method: e.method as AttributionMethod,
          ...e.options,
          record: true,
        });
        out.push({ outcome: e.outcome, method: e.method, ok: true });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        out.push({ outcome: e.outcome, method: e.method, ok: false, message: err.message });
      }
    }
    return out;
  }

  async function compute(
    tenantId: string,
    program: Program,
    reestimated: Forecast['reestimated'],
  ): Promise<Forecast | null> {
    const [cost, assumptions, effects] = await Promise.all([
      deps.economics.costModel(tenantId, program.id),
      deps.economics.assumptions(tenantId, program.id),
      deps.economics.effects(tenantId, program.id),
    ]);
    if (!cost) return null;
    const monetized = effects.flatMap((effect) => {
      const a = assumptions.find(
        (x) => x.outcome === effect.outcome && x.perspective === program.moneyPerspective,
      );
      return a ? [{ effect, a }] : [];
    });
    if (monetized.length === 0) return null;
    const warnings = reestimated
      .filter((r) => !r.ok)
      .map(
        (r) =>
          `The effect on ${r.outcome} was not re-estimated (${r.method}): ${r.message} The last estimate is kept.`,
      );
    const items = (pick: 'point' | 'lower'): BenefitItem[] | null => {
      if (pick === 'lower' && monetized.some(({ effect }) => effect.lower === null)) return null;
      return monetized.map(({ effect, a }) => ({
        label: a.label,
        units: multiply(
          toRational(pick === 'point' ? effect.unitsPerParticipant : effect.lower!),
          rational(BigInt(effect.participants)),
        ),
        valuePerUnit: a.valuePerUnit,
        confidence: a.confidence,
      }));
    };
    try {
      const total = fullyLoadedCost(cost.model as CostModelInput).total;
      const model = (list: BenefitItem[]) =>
        benefitModel({
          items: list,
          adjustForConfidence: true,
          horizonYears: program.benefitHorizonYears,
          discountRate: program.discountRate,
          annualDecay: program.effectDecay,
        });
      const point = model(items('point')!);
      const lowerItems = items('lower');
      const lower = lowerItems && model(lowerItems);
      const roiPercent = (pv: Rational) =>
        toFixed(multiply(divide(subtract(pv, total), total), rational(100n)), 1);
      let cumulative = rational(0n);
      let cumulativeLower = rational(0n);
      const years: ForecastYear[] = point.years.map((y, i) => {
        cumulative = add(cumulative, y.presentValue);
        if (lower) cumulativeLower = add(cumulativeLower, lower.years[i]!.presentValue);
        return {
          year: y.year,
          benefit: toFixed(y.benefit, 2),
          presentValue: toFixed(y.presentValue, 2),
          cumulativePresentValue: toFixed(cumulative, 2),
          cumulativeNet: toFixed(subtract(cumulative, total), 2),
          cumulativeRoiPercent: roiPercent(cumulative),
          conservativeCumulativeRoiPercent: lower ? roiPercent(cumulativeLower) : null,
        };
      });
      for (const { effect } of monetized)
        if (effect.method === 'trend' || effect.method === 'manual')
          warnings.push(
            `The effect on ${effect.outcome} has no comparison group (${effect.method}); treat the forecast as indicative.`,
          );
      return {
        currency: cost.currency,
        cost: toFixed(total, 2),
        years,
        effects: monetized.map(({ effect }) => ({
          outcome: effect.outcome,
          method: effect.method,
          unitsPerParticipant: effect.unitsPerParticipant,
          participants: effect.participants,
          estimatedAt: effect.estimatedAt.toISOString(),
        })),
        reestimated,
        assumptions: [
          `Benefits are confidence-adjusted, from the ${program.moneyPerspective}'s perspective, over ${program.benefitHorizonYears} year(s).`,
          `Each year keeps ${toFixed(multiply(subtract(rational(1n), toRational(program.effectDecay)), rational(100n)), 0)}% of the previous year's effect and is discounted at ${toFixed(multiply(toRational(program.discountRate), rational(100n)), 1)}% a year (end of year).`,
          'The whole cost is spent before year 1.',
        ],
        warnings,
      };
    } catch (err) {
      if (err instanceof StatsInputError)
        throw new ValidationError(`The forecast cannot be computed: ${err.message}`);
      throw err;
    }
  }

  async function run(
    tenantId: string,
    program: Program,
    trigger: ForecastVersion['trigger'],
    importId: string | null = null,
  ): Promise<ForecastVersion | null> {
    const reestimated = await reestimate(tenantId, program);
    const forecast = await compute(tenantId, program, reestimated);
    if (!forecast) return null;
    const sources = forecast.effects.flatMap((e) => {
      const m = findMetric(e.outcome);
      return m ? [m.source] : [];
    });
    return deps.forecasts.add(tenantId, program.id, {
      trigger,
      importId,
      dataAsOf: await deps.forecasts.latestOutcomeDate(tenantId, sources),
      horizonYears: program.benefitHorizonYears,
      discountRate: program.discountRate,
      effectDecay: program.effectDecay,
      forecast,
    });
  }

  return {
    /**
     * Re-estimates the program's data-based effects and adds a forecast version; null (nothing added)
     * when the program has no cost model or no monetized effect yet.
     */
    run,
    /**
     * After an outcome import of `kind` is accepted: a new version for every program of the tenant
     * with an effect on an outcome measured from that kind of data.
     */
    async afterImport(tenantId: string, imp: { id: string; kind: string }): Promise<ForecastVersion[]> {
      const out: ForecastVersion[] = [];
      for (const program of await deps.programs.list(tenantId)) {
        const effects = await deps.economics.effects(tenantId, program.id);
        if (!effects.some((e) => findMetric(e.outcome)?.source === imp.kind)) continue;
        const v = await run(tenantId, program, 'import', imp.id);
        if (v) out.push(v);
      }
      return out;
    },
    /** The newest outcome date stored for the outcomes named (their source tables), or null. */
    async dataAsOf(tenantId: string, outcomes: readonly string[]): Promise<string | null> {
      const sources = outcomes.flatMap((o) => {
        const m = findMetric(o);
        return m ? [m.source] : [];
      });
      return sources.length ? deps.forecasts.latestOutcomeDate(tenantId, sources) : null;
    },
    versions: (tenantId: string, programId: string, limit?: number) =>
      deps.forecasts.list(tenantId, programId, limit),
  };
}

export type ProgramForecastService = ReturnType<typeof createProgramForecastService>;
