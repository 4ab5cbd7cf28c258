import { ValidationError } from '../errors.js';
import { covariateColumns } from '../cohorts/covariates.js';
import { findMetric, METRICS } from '../outcomes/metrics.js';
import type { CohortRepository } from '../storage/repositories/cohort-repository.js';
import type { OutcomeMetricsRepository } from '../storage/repositories/outcome-metrics-repository.js';
import type { ProgramEconomicsRepository } from '../storage/repositories/program-economics-repository.js';
import type { EventRow, PersonImprovement, Program } from '../cohorts/model.js';
import type { MetricDefinition, PersonValue } from '../outcomes/model.js';
import { estimateDifferenceInDifferences, type DidRow } from './stats/did.js';
import { AttributionInputError } from './stats/matrix-errors.js';
import { propensityScoreMatch, type PsmRow } from './stats/psm.js';
import { StatsInputError } from './stats/stats-input-error.js';
import { meanDifference } from './stats/two-sample.js';
import { monthsBetween, trendShift, type MonthlyMean } from './trend-attribution.js';

export type AttributionMethod = 'randomized' | 'did' | 'psm' | 'trend';

export interface AttributionRequest {
  outcome: string;
  method: AttributionMethod;
  /** Confidence level, default 0.95. */
  level?: number;
  /** PSM: caliper in SDs of the propensity score. */
  caliper?: number;
  /** DiD: person attribute whose values are the clusters (e.g. team); default: each person. */
  clusterAttribute?: string;
  /** Store the estimate as the program's effect on this outcome (feeds the ROI report). */
  record?: boolean;
}

export interface AttributionResult {
  program: { id: string; name: string };
  outcome: { name: string; label: string; unit: string; betterWhen: 'higher' | 'lower' };
  method: AttributionMethod;
  methodName: string;
  /** Improvement per participant, in the outcome's unit: positive means the training helped. */
  improvement: number;
  lower: number;
  upper: number;
  level: number;
  p: number;
  /** Treated people the estimate covers, and comparison people. */
  participants: number;
  comparison: number;
  windows: { pre: { start: string; end: string } | null; post: { start: string; end: string } };
  confoundingEvents: EventRow[];
  warnings: string[];
  assumptions: string[];
  /** Method-specific detail (2x2 means, matched pairs count, balance...). */
  detail: Record<string, unknown>;
  recorded: boolean;
}

const ASSUMPTIONS: Record<AttributionMethod, string[]> = {
  randomized: [
    'Treatment and control were assigned at random, so they differ only by chance apart from the training.',
    'Outcomes are compared over the post window only; Welch t interval.',
  ],
  did: [
    'Parallel trends: without training, treated and control outcomes would have moved alike from pre to post.',
    'Standard errors are clustered (CR1; CR2 with Satterthwaite df when clusters are few).',
  ],
  trend: [
    "No comparison group: the participants' pre-window monthly trend, projected forward, stands in for what would have happened without the training.",
    'Everything else that changed over the post window (plan rules, markets, seasons) is attributed to the training; check the confounding events listed.',
    'Monthly means are independent around a straight line; autocorrelated monthly metrics make the interval too narrow.',
  ],
  psm: [
    'No unmeasured confounding: the covariates and the pre-window outcome capture why people took part.',
    'Each participant is matched 1:1 to the nearest non-participant on the propensity score, without replacement.',
  ],
};

/**
 * "Did it pay off, and how sure are we?" for one outcome: compares the program's treatment cohort with
 * its control cohort (randomized, DiD) or with matched non-participants (PSM), over the program's windows,
 * using the pure estimators in reports/stats. Names the method, its assumptions and warnings, lists the
 * confounding events overlapping the windows, and optionally records the effect for the ROI report.
 */
export function createAttributionService(deps: {
  cohorts: CohortRepository;
  metrics: OutcomeMetricsRepository;
  economics: ProgramEconomicsRepository;
}) {
  return {
    metrics: (): readonly MetricDefinition[] => METRICS,

    async estimate(
      tenantId: string,
      program: Program,
      request: AttributionRequest,
    ): Promise<AttributionResult> {
      const metric = findMetric(request.outcome);
      if (!metric) {
        throw new ValidationError(
          `"${request.outcome}" is not an outcome Yardstick measures; use one of ${METRICS.map((m) => m.name).join(', ')}.`,
        );
      }
      const post = window(program.postWindow, 'post');
      const pre = request.method === 'randomized' ? null : window(program.preWindow, 'pre');
      const level = request.level ?? 0.95;
      const members = await deps.cohorts.members(tenantId, program.id);
      const treated = members.filter((m) => m.arm === 'treatment');
      if (treated.length === 0)
        throw new ValidationError(
          `"${program.name}" has no treatment cohort yet; randomize it or add cohorts first.`,
        );
      const sign = metric.betterWhen === 'higher' ? 1 : -1;
      const warnings: string[] = [];
      let core: Omit<
        AttributionResult,
        | 'program'
        | 'outcome'
        | 'method'
        | 'windows'
        | 'confoundingEvents'
        | 'assumptions'
        | 'recorded'
        | 'warnings'
      >;

      let contributions: PersonImprovement[] = [];
      const guarded = <T>(compute: () => T): T => {
        try {
          return compute();
        } catch (err) {
          if (err instanceof StatsInputError || err instanceof AttributionInputError) {
            // The commonest psm failure is a covariate that separates the groups: say so.
            const hint =
              request.method === 'psm'
                ? ' If participants and non-participants differ completely on a covariate (say, every participant works at one site), no comparable non-participant exists and matching cannot work.'
                : '';
            throw new ValidationError(
              `The ${request.method} estimate cannot be computed from the data: ${err.message.replace(/\.$/, '')}.${hint}`,
            );
          }
          throw err;
        }
      };

      if (request.method === 'trend') {
        const ids = treated.map((m) => m.personId);
        const series: MonthlyMean[] = [];
        const months = monthsBetween(pre!.start, post.end);
        for (const [time, m] of months.entries()) {
          const phase = m.to < post.start ? 'pre' : m.from >= post.start ? 'post' : null;
          if (phase === null || (phase === 'pre' && m.from > pre!.end)) continue;
          const values = await deps.metrics.values(tenantId, metric, { start: m.from, end: m.to }, ids);
          if (values.length === 0) continue;
          const mean = values.reduce((s, v) => s + v.value, 0) / values.length;
          series.push({ month: m.month, time, phase, mean, people: values.length });
        }
        const r = guarded(() => trendShift(series, level));
        const postValues = await deps.metrics.values(tenantId, metric, post, ids);
        contributions = postValues.map((v) => ({
          personId: v.personId,
          improvement: sign * (v.value - r.counterfactual),
        }));
        warnings.push(
          'No comparison group: this trend-line fallback cannot separate the training from anything else that changed; treat it as indicative.',
        );
        if (r.preMonths < 8)
          warnings.push(`Only ${r.preMonths} pre-window months: the projected trend is fragile.`);
        core = {
          methodName: `trend-line fallback: pre-window OLS trend of the participants' monthly means projected over the post window (${r.preMonths} pre, ${r.postMonths} post months; t interval)`,
          ...oriented(sign, r.estimate, r.lower, r.upper),
          level,
          p: r.p,
          participants: postValues.length,
          comparison: 0,
          detail: {
            series,
            slopePerMonth: r.slope,
            intercept: r.intercept,
            counterfactual: r.counterfactual,
            se: r.se,
            df: r.df,
          },
        };
      } else if (request.method === 'randomized' || request.method === 'did') {
        const control = members.filter((m) => m.arm === 'control');
        if (control.length === 0)
          throw new ValidationError(
            `"${program.name}" has no control cohort, so ${request.method} cannot be used; try psm.`,
          );
        const ids = [...treated, ...control].map((m) => m.personId);
        const postValues = byPerson(await deps.metrics.values(tenantId, metric, post, ids));
        if (request.method === 'randomized') {
          const x = treated.flatMap((m) => valueOf(postValues, m.personId));
          const y = control.flatMap((m) => valueOf(postValues, m.personId));
          noteMissing(warnings, treated.length + control.length - x.length - y.length, 'the post window');
          const r = guarded(() => meanDifference(x, y, { confidence: level }));
          contributions = treated.flatMap((m) =>
            valueOf(postValues, m.personId).map((v) => ({
              personId: m.personId,
              improvement: sign * (v - r.meanY),
            })),
          );
          core = {
            methodName: 'randomized comparison: difference in means (Welch t interval)',
            ...oriented(sign, r.estimate, r.lower, r.upper),
            level,
            p: r.p,
            participants: x.length,
            comparison: y.length,
            detail: { meanTreated: r.meanX, meanControl: r.meanY, df: r.df, se: r.se },
          };
        } else {
          const preValues = byPerson(await deps.metrics.values(tenantId, metric, pre!, ids));
          const rows: DidRow[] = [];
          for (const m of [...treated, ...control]) {
            const cluster = request.clusterAttribute
              ? String(m.attributes[request.clusterAttribute] ?? '(missing)')
              : m.personId;
            for (const [isPost, values] of [
              [false, preValues],
              [true, postValues],
            ] as const) {
              const v = values.get(m.personId);
              if (v !== undefined)
                rows.push({
                  unitId: m.personId,
                  clusterId: cluster,
                  treated: m.arm === 'treatment',
                  post: isPost,
                  y: v,
                });
            }
          }
          const r = guarded(() => estimateDifferenceInDifferences(rows, { level }));
          const controlChange = controlMeanChange(control, preValues, postValues);
          contributions = treated.flatMap((m) => {
            const a = preValues.get(m.personId);
            const b = postValues.get(m.personId);
            return a === undefined || b === undefined
              ? []
              : [{ personId: m.personId, improvement: sign * (b - a - controlChange) }];
          });
          const inference = r.recommended === 'CR2' ? r.cr2 : r.cr1;
          warnings.push(...r.warnings);
          core = {
            methodName: `difference-in-differences (${r.method}; ${inference.method})`,
            ...oriented(sign, r.estimate, inference.ciLower, inference.ciUpper),
            level,
            p: inference.p,
            participants: treated.filter((m) => postValues.has(m.personId)).length,
            comparison: control.filter((m) => postValues.has(m.personId)).length,
            detail: { means: r.means, counts: r.counts, clusters: r.clusters, recommended: r.recommended },
          };
        }
      } else {
        const pool = await deps.metrics.nonParticipants(tenantId, program.id);
        if (pool.length === 0)
          throw new ValidationError(
            'There are no non-participants to match against; psm needs people outside the program.',
          );
        const people = [
          ...treated.map((m) => ({ personId: m.personId, attributes: m.attributes, treated: true })),
          ...pool.map((p) => ({ ...p, treated: false })),
        ];
        const ids = people.map((p) => p.personId);
        const postValues = byPerson(await deps.metrics.values(tenantId, metric, post, ids));
        const preValues = byPerson(await deps.metrics.values(tenantId, metric, pre!, ids));
        const columns = covariateColumns(people.map((p) => p.attributes)).filter((c) =>
          c.values.every((v) => v !== null),
        );
        // Drop one level of each categorical attribute (the reference level) to keep the model identified.
        const seenCategorical = new Set<string>();
        const usable = columns.filter((c) => {
          const key = c.name.includes('=') ? c.name.split('=')[0]! : null;
          if (key === null) return true;
          if (seenCategorical.has(key)) return true;
          seenCategorical.add(key);
          return false;
        });
        const rows: PsmRow[] = [];
        people.forEach((p, i) => {
          const y = postValues.get(p.personId);
          const baseline = preValues.get(p.personId);
          if (y === undefined || baseline === undefined) return;
          const covariates: Record<string, number> = { [`${metric.name} (pre window)`]: baseline };
          for (const c of usable) covariates[c.name] = c.values[i]!;
          rows.push({ id: p.personId, treated: p.treated, covariates, outcome: y });
        });
        noteMissing(warnings, people.length - rows.length, 'the pre or post window');
        const covariateNames = [`${metric.name} (pre window)`, ...usable.map((c) => c.name)];
        const r = guarded(() =>
          propensityScoreMatch(rows, { covariates: covariateNames, caliper: request.caliper, level }),
        );
        warnings.push(...r.warnings);
        const outcomeOf = new Map(rows.map((row) => [row.id, row.outcome]));
        contributions = r.pairs.map((pair) => ({
          personId: pair.treatedId,
          improvement: sign * (outcomeOf.get(pair.treatedId)! - outcomeOf.get(pair.controlId)!),
        }));
        if (r.unmatched.treated > 0)
          warnings.push(
            `${r.unmatched.treated} participant(s) found no match within the caliper and are left out.`,
          );
        core = {
          methodName: `propensity-score matching: ${r.method}`,
          ...oriented(sign, r.att.estimate, r.att.ciLower, r.att.ciUpper),
          level,
          p: r.att.p,
          participants: r.pairs.length,
          comparison: r.pairs.length,
          detail: {
            pairs: r.pairs.length,
            covariates: covariateNames,
            balance: r.balance,
            unmatched: r.unmatched,
          },
        };
      }

      const events = await deps.economics.eventsOverlapping(
        tenantId,
        program.id,
        pre?.start ?? post.start,
        post.end,
      );
      if (events.length)
        warnings.push(
          `${events.length} confounding event(s) overlap the windows: ${events.map((e) => `${e.title} (${e.startsOn})`).join('; ')}.`,
        );
      if (request.record) {
        await deps.economics.saveEffect(
          tenantId,
          program.id,
          {
            outcome: metric.name,
            unitsPerParticipant: String(core.improvement),
            lower: String(core.lower),
            upper: String(core.upper),
            participants: core.participants,
            method: request.method,
            note: `${core.methodName}; ${Math.round(level * 100)}% interval; ${metric.unit}`,
            options: {
              level,
              ...(request.caliper !== undefined ? { caliper: request.caliper } : {}),
              ...(request.clusterAttribute ? { clusterAttribute: request.clusterAttribute } : {}),
            },
          },
          contributions,
        );
      }
      return {
        program: { id: program.id, name: program.name },
        outcome: { name: metric.name, label: metric.label, unit: metric.unit, betterWhen: metric.betterWhen },
        method: request.method,
        windows: { pre, post },
        confoundingEvents: events,
        assumptions: ASSUMPTIONS[request.method],
        warnings,
        recorded: Boolean(request.record),
        ...core,
      };
    },
  };
}

export type AttributionService = ReturnType<typeof createAttributionService>;

function window(
  w: { start: string | null; end: string | null },
  name: string,
): { start: string; end: string } {
  if (!w.start || !w.end)
    throw new ValidationError(
      `Set the program's ${name} window (start and end dates) before estimating effects.`,
    );
  return { start: w.start, end: w.end };
}

function byPerson(values: PersonValue[]): Map<string, number> {
  return new Map(values.map((v) => [v.personId, v.value]));
}

function valueOf(values: Map<string, number>, personId: string): number[] {
  const v = values.get(personId);
  return v === undefined ? [] : [v];
}

/** Turns a raw difference (treated minus comparison) into an improvement with its interval. */
function oriented(sign: 1 | -1, estimate: number, lo: number, hi: number) {
  return sign === 1
    ? { improvement: estimate, lower: lo, upper: hi }
    : { improvement: -estimate, lower: -hi, upper: -lo };
}

/** Mean post-minus-pre change of the control people observed in both windows. */
function controlMeanChange(
  control: readonly { personId: string }[],
  pre: Map<string, number>,
  post: Map<string, number>,
): number {
  const mean = (values: Map<string, number>) => {
    const xs = control.flatMap((m) => valueOf(values, m.personId));
    return xs.reduce((s, x) => s + x, 0) / xs.length;
  };
  return mean(post) - mean(pre);
}

function noteMissing(warnings: string[], missing: number, where: string): void {
  if (missing > 0) warnings.push(`${missing} person(s) have no data in ${where} and are left out.`);
}
