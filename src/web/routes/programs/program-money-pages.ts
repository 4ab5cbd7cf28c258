import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { ProgramEconomicsService } from '../../../cohorts/program-economics-service.js';
import { METRICS } from '../../../outcomes/metrics.js';
import type { Program } from '../../../cohorts/model.js';
import type { CostModelInputJson } from '../../../cohorts/economics-schema.js';
import type { PageAccess } from './program-pages.js';
import {
  fieldErrors,
  nav,
  programFormPost,
  programOfRequest,
  type ProgramFormPost,
} from './program-page-support.js';

const text = z.string().trim().default('');
const costForm = z.object({
  currency: text,
  developmentTotal: text,
  developmentOfferings: text,
  delivery: text,
  platform: text,
  facilitation: text,
  hoursPerParticipant: text,
  hourlyWage: text,
  benefitsLoadPercent: text,
  participants: text,
  evaluation: text,
});
const assumptionForm = z.object({
  outcome: text,
  perspective: text,
  label: text,
  unit: text,
  valuePerUnit: text,
  source: text,
  confidencePercent: text,
});
const intangiblesForm = z.object({ intangibles: text });
type CostForm = z.output<typeof costForm>;

/** A money cell: empty is absent, otherwise the text goes to the schema, which says what is wrong. */
const money = (v: string) => (v === '' ? undefined : v.replace(/[,\s$]/g, ''));
const count = (v: string) =>
  v === '' ? undefined : Number.isInteger(Number(v)) ? Number(v) : (v as unknown as number);

function costInput(f: CostForm): CostModelInputJson {
  const time = [f.hoursPerParticipant, f.hourlyWage, f.benefitsLoadPercent, f.participants];
  return {
    currency: f.currency ? f.currency.toUpperCase() : undefined,
    development:
      f.developmentTotal || f.developmentOfferings
        ? { total: money(f.developmentTotal) ?? '0', offerings: count(f.developmentOfferings || '1')! }
        : undefined,
    delivery: money(f.delivery),
    platform: money(f.platform),
    facilitation: money(f.facilitation),
    participantTime: time.some(Boolean)
      ? {
          hoursPerParticipant: money(f.hoursPerParticipant) ?? '0',
          hourlyWage: money(f.hourlyWage) ?? '0',
          benefitsLoad: f.benefitsLoadPercent ? String(Number(f.benefitsLoadPercent) / 100) : '0',
          participants: count(f.participants) ?? 0,
        }
      : undefined,
    evaluation: money(f.evaluation),
  };
}

function costFormOf(m: Record<string, unknown> | undefined, currency: string): CostForm {
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const dev = (m?.development ?? {}) as Record<string, unknown>;
  const pt = (m?.participantTime ?? {}) as Record<string, unknown>;
  return {
    currency,
    developmentTotal: s(dev.total),
    developmentOfferings: s(dev.offerings),
    delivery: s(m?.delivery),
    platform: s(m?.platform),
    facilitation: s(m?.facilitation),
    hoursPerParticipant: s(pt.hoursPerParticipant),
    hourlyWage: s(pt.hourlyWage),
    benefitsLoadPercent:
      pt.benefitsLoad === undefined ? '' : String(+(Number(pt.benefitsLoad) * 100).toFixed(4)),
    participants: s(pt.participants),
    evaluation: s(m?.evaluation),
  };
}

const COST_ALIASES = {
  'development.total': 'developmentTotal',
  'development.offerings': 'developmentOfferings',
  'participantTime.hoursPerParticipant': 'hoursPerParticipant',
  'participantTime.hourlyWage': 'hourlyWage',
  'participantTime.benefitsLoad': 'benefitsLoadPercent',
  'participantTime.participants': 'participants',
};

/** What the program money pages use. */
export interface ProgramMoneyPageDeps {
  programs: ProgramService;
  economics: ProgramEconomicsService;
  access: PageAccess;
  publicUrl: string;
}

/** Admin page: a program's fully loaded costs, monetization assumptions and intangibles. */
export function programMoneyPages(deps: ProgramMoneyPageDeps): Router {
  const router = Router();
  const { access } = deps;
  const body = express.urlencoded({ extended: false, limit: '64kb' });
  const path = (id: string) => `/admin/programs/${id}/money`;

  async function page(
    res: Response,
    tenantId: string,
    program: Program,
    extra: Record<string, unknown> = {},
  ) {
    const [cost, assumptions, intangibles] = await Promise.all([
      deps.economics.costModel(tenantId, program.id),
      deps.economics.assumptions(tenantId, program.id),
      deps.economics.intangibles(tenantId, program.id),
    ]);
    const chosen =
      (extra.assumptionForm as { outcome?: string } | undefined)?.outcome ?? program.targetOutcomes[0];
    res.render('pages/programs/money', {
      title: `${program.name}: costs and assumptions`,
      ...nav(program, 'money'),
      name: program.name,
      programId: program.id,
      perspective: program.moneyPerspective,
      costForm: costFormOf(cost?.model, cost?.currency ?? 'USD'),
      assumptions: assumptions.map((a) => ({
        ...a,
        confidencePercent: `${+(Number(a.confidence) * 100).toFixed(2)}%`,
      })),
      outcomes: METRICS.map((m) => ({ name: m.name, label: m.label, selected: m.name === chosen })),
      perspectives: ['employer', 'employee'].map((p) => ({
        value: p,
        selected: p === program.moneyPerspective,
      })),
      intangibles: intangibles.join('\n'),
      errors: {},
      ...extra,
    });
  }

  router.get(
    '/admin/programs/:programId/money',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      await page(res, tenantId, program, { notice: req.query.saved ? 'Saved.' : null });
    }),
  );

  const post = <F>(spec: ProgramFormPost<F>) => route(programFormPost(deps.programs, access, spec));

  router.post(
    '/admin/programs/:programId/money/costs',
    access.guard,
    body,
    post({
      schema: costForm,
      async save(tenantId, program, f) {
        await deps.economics.setCostModel(tenantId, program.id, costInput(f));
        return `${path(program.id)}?saved=costs`;
      },
      rejected: (res, tenantId, program, f, err) =>
        page(res, tenantId, program, { costForm: f, ...fieldErrors(err, COST_ALIASES) }),
    }),
  );

  router.post(
    '/admin/programs/:programId/money/assumptions',
    access.guard,
    body,
    post({
      schema: assumptionForm,
      async save(tenantId, program, f) {
        await deps.economics.setAssumption(tenantId, program.id, {
          outcome: f.outcome,
          perspective: (f.perspective || undefined) as 'employer' | 'employee' | undefined,
          label: f.label,
          unit: f.unit,
          valuePerUnit: money(f.valuePerUnit) ?? '',
          source: f.source,
          confidencePercent:
            f.confidencePercent === '' ? (undefined as unknown as number) : Number(f.confidencePercent),
        });
        return `${path(program.id)}?saved=assumption`;
      },
      rejected(res, tenantId, program, f, err) {
        const errors = fieldErrors(err);
        return page(res, tenantId, program, {
          assumptionForm: f,
          assumptionErrors: errors.errors,
          errorSummary: errors.errorSummary,
        });
      },
    }),
  );

  router.post(
    '/admin/programs/:programId/money/intangibles',
    access.guard,
    body,
    post({
      schema: intangiblesForm,
      async save(tenantId, program, f) {
        await deps.economics.setIntangibles(tenantId, program.id, f.intangibles.split(/\r?\n/));
        return `${path(program.id)}?saved=intangibles`;
      },
      rejected: (res, tenantId, program, f, err) =>
        page(res, tenantId, program, {
          intangibles: f.intangibles,
          errors: { intangibles: err.message },
          errorSummary: err.message,
        }),
    }),
  );
  return router;
}
