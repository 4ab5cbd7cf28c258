import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import { AppError, ValidationError } from '../../../errors.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { CohortService } from '../../../cohorts/cohort-service.js';
import type { DesignAnalysisService } from '../../../cohorts/design-analysis-service.js';
import type { ProgramEconomicsService } from '../../../cohorts/program-economics-service.js';
import type { AttributionService } from '../../../reports/attribution-service.js';
import type { ChartCacheService } from '../../../reports/charts/chart-cache.js';
import { METRICS } from '../../../outcomes/metrics.js';
import type { Program } from '../../../cohorts/model.js';
import type { AttributionMethod } from '../../../reports/attribution-service.js';
import { parseInput } from '../../../validation.js';
import type { MonthlyMean } from '../../../reports/trend-attribution.js';
import type { PageAccess } from './program-pages.js';
import { fieldErrors, nav, programOfRequest } from './program-page-support.js';

const text = z.string().trim().default('');
const randomizeForm = z.object({
  arms: text,
  algorithm: text,
  strata: text,
  blockSizes: text,
  seed: text,
  criteria: text,
  employeeIds: text,
});
const enrollForm = z.object({ name: text, criteria: text, employeeIds: text });
const powerQuery = z.object({
  power: text,
  sigLevel: text,
  outcomeSd: text,
  clusterSize: text,
  icc: text,
});
const estimateForm = z.object({ outcome: text, method: text, caliper: text, record: text });

const fmt = (x: number | null, digits = 3) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));
const list = (v: string) =>
  v
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
const num = (v: string) =>
  v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : (v as unknown as number);

/** `attribute=value` lines to a criteria object (numbers and true/false typed, as attributes are stored). */
function criteriaOf(v: string): Record<string, string | number | boolean> | undefined {
  const lines = list(v.replace(/\r/g, ''));
  if (!lines.length) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const line of lines) {
    const [key, ...rest] = line.split('=');
    const value = rest.join('=').trim();
    if (!key?.trim() || !value)
      throw new ValidationError('Write each criterion as attribute=value, e.g. site=Leeds.', [
        { path: 'criteria', message: `"${line}" is not attribute=value` },
      ]);
    out[key.trim()] =
      value === 'true'
        ? true
        : value === 'false'
          ? false
          : /^-?\d+(\.\d+)?$/.test(value)
            ? Number(value)
            : value;
  }
  return out;
}

function poolOf(f: { criteria: string; employeeIds: string }) {
  const employeeIds = list(f.employeeIds);
  return { criteria: criteriaOf(f.criteria), employeeIds: employeeIds.length ? employeeIds : undefined };
}

/** What the cohort and evidence pages use. */
export interface ProgramCohortPageDeps {
  programs: ProgramService;
  cohorts: CohortService;
  designAnalysis: DesignAnalysisService;
  economics: ProgramEconomicsService;
  attribution: AttributionService;
  chartCache: ChartCacheService;
  access: PageAccess;
  publicUrl: string;
}

/** Admin page: a program's cohorts (randomize with a seed, or enroll everyone eligible), balance, power, effects. */
export function programCohortPages(deps: ProgramCohortPageDeps): Router {
  const router = Router();
  const { access } = deps;
  const body = express.urlencoded({ extended: false, limit: '256kb' });
  const base = (id: string) => `/admin/programs/${id}/cohorts`;

  async function page(
    req: Request,
    res: Response,
    program: Program,
    tenantId: string,
    extra: Record<string, unknown> = {},
  ) {
    const cohorts = await deps.cohorts.cohorts(tenantId, program.id);
    const hasControl = cohorts.some((c) => c.arm === 'control');
    let balance = null;
    let power = null;
    let powerError = null;
    if (hasControl) {
      const b = await deps.designAnalysis.balance(tenantId, program.id).catch(() => null);
      balance = b && {
        treated: b.treatment.n,
        control: b.control.n,
        imbalanced: b.imbalanced.join(', '),
        rows: b.rows.map((r) => ({
          name: r.name,
          meanTreated: fmt(r.meanTreated),
          meanControl: fmt(r.meanControl),
          smd: fmt(r.standardizedMeanDifference),
          varianceRatio: fmt(r.varianceRatio),
          flag: r.imbalanced ? '|SMD| > 0.1' : '',
        })),
      };
      const q = parseInput(powerQuery, req.query, 'power question');
      try {
        const p = await deps.designAnalysis.plannedPower(tenantId, program.id, {
          power: num(q.power),
          sigLevel: num(q.sigLevel),
          outcomeSd: num(q.outcomeSd),
          clusterSize: num(q.clusterSize),
          icc: num(q.icc),
        });
        power = {
          query: q,
          method: p.method,
          arms: `${p.nTreatment} treatment, ${p.nControl} control (effective ${fmt(p.effectiveNPerGroup, 1)} per group)`,
          mdeD: fmt(p.mdeD),
          mdeUnits: p.mdeOutcomeUnits === null ? null : fmt(p.mdeOutcomeUnits),
          clustered: p.clustered && {
            designEffect: fmt(p.clustered.designEffect),
            mdeD: fmt(p.clustered.mdeD),
            mdeUnits: p.clustered.mdeOutcomeUnits === null ? null : fmt(p.clustered.mdeOutcomeUnits),
          },
          level: `${Math.round(p.power * 100)}% power at a two-sided ${p.sigLevel}`,
        };
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        powerError = err.message;
        power = { query: q };
      }
    }
    const effects = (await deps.economics.effects(tenantId, program.id)).map((e) => ({
      outcome: e.outcome,
      method: e.method,
      value: `${fmt(Number(e.unitsPerParticipant))} per participant`,
      interval: e.lower === null ? 'none' : `${fmt(Number(e.lower))} to ${fmt(Number(e.upper))}`,
      participants: e.participants,
      estimatedAt: e.estimatedAt.toISOString().slice(0, 10),
    }));
    res.render('pages/programs/cohorts', {
      title: `${program.name}: cohorts`,
      ...nav(program, 'cohorts'),
      name: program.name,
      programId: program.id,
      cohorts,
      randomized: cohorts.some((c) => c.source === 'randomization'),
      hasCohorts: cohorts.length > 0,
      balance,
      power,
      powerError,
      outcomes: METRICS.map((m) => ({
        name: m.name,
        label: m.label,
        selected: program.targetOutcomes[0] === m.name,
      })),
      methods: [
        { value: 'randomized', label: 'randomized comparison (difference in means)', selected: hasControl },
        { value: 'did', label: 'difference-in-differences (CR1/CR2)' },
        { value: 'psm', label: 'propensity-score matching against non-participants', selected: !hasControl },
        { value: 'trend', label: 'trend-line fallback (no comparison group)' },
      ],
      effects,
      errors: {},
      ...extra,
    });
  }

  router.get(
    '/admin/programs/:programId/cohorts',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      const saved = typeof req.query.saved === 'string' ? req.query.saved : null;
      await page(req, res, program, tenantId, { notice: saved });
    }),
  );

  router.post(
    '/admin/programs/:programId/cohorts/randomize',
    access.guard,
    body,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      const f = parseInput(randomizeForm, req.body, 'form');
      try {
        const arms = list(f.arms || 'Treatment:1,Control:1').map((a) => {
          const [name, ratio] = a.split(':');
          return { name: name!.trim(), ratio: ratio === undefined ? 1 : num(ratio.trim()) };
        });
        const outcome = await deps.cohorts.randomize(tenantId, program.id, {
          algorithm: (f.algorithm || undefined) as 'simple' | 'permuted-blocks' | undefined,
          arms,
          strata: list(f.strata),
          blockSizes: f.blockSizes ? list(f.blockSizes).map((b) => num(b)!) : undefined,
          seed: num(f.seed),
          pool: poolOf(f),
        });
        res.redirect(
          303,
          `${base(program.id)}?saved=${encodeURIComponent(`Randomized ${outcome.participantCount} people with seed ${outcome.seed}.`)}`,
        );
      } catch (err) {
        if (!(err instanceof AppError) || !['invalid', 'conflict'].includes(err.code)) throw err;
        res.status(err.code === 'conflict' ? 409 : 400);
        await page(req, res, program, tenantId, { randomizeForm: f, ...fieldErrors(err as ValidationError) });
      }
    }),
  );

  router.post(
    '/admin/programs/:programId/cohorts/enroll',
    access.guard,
    body,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      const f = parseInput(enrollForm, req.body, 'form');
      try {
        await deps.cohorts.enroll(tenantId, program.id, { name: f.name || undefined, pool: poolOf(f) });
        res.redirect(303, `${base(program.id)}?saved=Enrolled.`);
      } catch (err) {
        if (!(err instanceof AppError) || !['invalid', 'conflict'].includes(err.code)) throw err;
        res.status(err.code === 'conflict' ? 409 : 400);
        await page(req, res, program, tenantId, { enrollForm: f, ...fieldErrors(err as ValidationError) });
      }
    }),
  );

  router.post(
    '/admin/programs/:programId/effects',
    access.guard,
    body,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      const f = parseInput(estimateForm, req.body, 'form');
      try {
        if (!['randomized', 'did', 'psm', 'trend'].includes(f.method))
          throw new ValidationError('Pick a method.', [{ path: 'method', message: 'pick a method' }]);
        const r = await deps.attribution.estimate(tenantId, program, {
          outcome: f.outcome,
          method: f.method as AttributionMethod,
          caliper: num(f.caliper),
          record: f.record === 'yes',
        });
        const series = (r.detail.series ?? null) as MonthlyMean[] | null;
        const chart =
          series && r.method === 'trend'
            ? await deps.chartCache.render(tenantId, {
                id: 'trend-fallback',
                kind: 'trend',
                title: `${r.outcome.label}: participants' monthly mean and the projected pre-window trend`,
                description: `Monthly means of the participants (${r.outcome.unit}) with the straight line fitted to the pre window and projected over the post window; confounding events are marked.`,
                rows: [
                  ...series.map((m) => ({ week: m.month, series: 'Participants', value: m.mean })),
                  ...series.map((m) => ({
                    week: m.month,
                    series: 'Pre-window trend, projected',
                    value: (r.detail.intercept as number) + (r.detail.slopePerMonth as number) * m.time,
                  })),
                ],
                options: {
                  unit: 'points',
                  measure: r.outcome.label,
                  series: ['Participants', 'Pre-window trend, projected'],
                  events: r.confoundingEvents.map((e) => ({ date: e.startsOn, label: e.title })),
                },
              })
            : null;
        await page(req, res, program, tenantId, {
          chart,
          estimate: {
            methodName: r.methodName,
            outcome: r.outcome.label,
            improvement: `${fmt(r.improvement)} ${r.outcome.unit} per participant`,
            interval: `${Math.round(r.level * 100)}% interval ${fmt(r.lower)} to ${fmt(r.upper)}; p = ${fmt(r.p, 4)}`,
            counts: `${r.participants} participants, ${r.comparison} comparison`,
            warnings: r.warnings,
            assumptions: r.assumptions,
            events: r.confoundingEvents.map((e) => `${e.title} (${e.startsOn})`),
            recorded: r.recorded,
          },
        });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        res.status(400);
        await page(req, res, program, tenantId, { estimateError: err.message });
      }
    }),
  );
  return router;
}
