import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import { ValidationError } from '../../../errors.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import { METRICS } from '../../../outcomes/metrics.js';
import type { NewProgramInput } from '../../../cohorts/program-schema.js';
import {
  DEFAULT_KPI_RULES,
  type AttemptPolicy,
  type DenominatorRule,
  type Program,
} from '../../../cohorts/model.js';
import { ATTEMPT_POLICY_CHOICES, DENOMINATOR_CHOICES } from '../../../reports/kpi/definitions.js';
import { parseInput } from '../../../validation.js';
import type { PageAccess } from './program-pages.js';
import { fieldErrors, nav, programOfRequest } from './program-page-support.js';

const text = z.string().trim().default('');
/** The program form as the browser posts it: every field text, outcomes one or many checkboxes. */
const programForm = z.object({
  name: text,
  description: text,
  targetOutcomes: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  preStart: text,
  preEnd: text,
  postStart: text,
  postEnd: text,
  leadingCadence: text,
  laggingCadence: text,
  moneyPerspective: text,
  benefitHorizonYears: text,
  discountRatePercent: text,
  effectDecayPercent: text,
  attemptPolicy: text,
  denominator: text,
});
type ProgramForm = z.output<typeof programForm>;

/** Text to a number for the service's schema; an unreadable entry stays text so the schema names it. */
const numberOr = (v: string, scale = 1): number | undefined => {
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n / scale : (v as unknown as number);
};

function toInput(f: ProgramForm): NewProgramInput {
  const window = (start: string, end: string) =>
    start || end ? { start: start || null, end: end || null } : undefined;
  return {
    name: f.name,
    description: f.description,
    targetOutcomes: f.targetOutcomes,
    preWindow: window(f.preStart, f.preEnd),
    postWindow: window(f.postStart, f.postEnd),
    leadingCadence: (f.leadingCadence || undefined) as NewProgramInput['leadingCadence'],
    laggingCadence: (f.laggingCadence || undefined) as NewProgramInput['laggingCadence'],
    moneyPerspective: (f.moneyPerspective || undefined) as NewProgramInput['moneyPerspective'],
    benefitHorizonYears: numberOr(f.benefitHorizonYears),
    discountRate: numberOr(f.discountRatePercent, 100),
    effectDecay: numberOr(f.effectDecayPercent, 100),
    kpiRules: {
      attemptPolicy: (f.attemptPolicy || DEFAULT_KPI_RULES.attemptPolicy) as AttemptPolicy,
      denominator: (f.denominator || DEFAULT_KPI_RULES.denominator) as DenominatorRule,
    },
  };
}

function formOf(p: Program): ProgramForm {
  return {
    name: p.name,
    description: p.description,
    targetOutcomes: p.targetOutcomes,
    preStart: p.preWindow.start ?? '',
    preEnd: p.preWindow.end ?? '',
    postStart: p.postWindow.start ?? '',
    postEnd: p.postWindow.end ?? '',
    leadingCadence: p.leadingCadence,
    laggingCadence: p.laggingCadence,
    moneyPerspective: p.moneyPerspective,
    benefitHorizonYears: String(p.benefitHorizonYears),
    discountRatePercent: String(+(Number(p.discountRate) * 100).toFixed(4)),
    effectDecayPercent: String(+(Number(p.effectDecay) * 100).toFixed(4)),
    attemptPolicy: p.kpiRules.attemptPolicy,
    denominator: p.kpiRules.denominator,
  };
}

const EMPTY: ProgramForm = {
  name: '',
  description: '',
  targetOutcomes: [],
  preStart: '',
  preEnd: '',
  postStart: '',
  postEnd: '',
  leadingCadence: 'weekly',
  laggingCadence: 'quarterly',
  moneyPerspective: 'employer',
  benefitHorizonYears: '1',
  discountRatePercent: '5',
  effectDecayPercent: '20',
  attemptPolicy: DEFAULT_KPI_RULES.attemptPolicy,
  denominator: DEFAULT_KPI_RULES.denominator,
};

const ALIASES = {
  'preWindow.start': 'preStart',
  'preWindow.end': 'preEnd',
  preWindow: 'preEnd',
  'postWindow.start': 'postStart',
  'postWindow.end': 'postEnd',
  postWindow: 'postEnd',
  discountRate: 'discountRatePercent',
  effectDecay: 'effectDecayPercent',
  'kpiRules.attemptPolicy': 'attemptPolicy',
  'kpiRules.denominator': 'denominator',
};

function view(form: ProgramForm, extra: Record<string, unknown>) {
  const option = (value: string, current: string) => ({ value, selected: value === current });
  return {
    form,
    outcomes: METRICS.map((m) => ({
      name: m.name,
      label: m.label,
      checked: form.targetOutcomes.includes(m.name),
    })),
    leading: ['daily', 'weekly', 'monthly'].map((v) => option(v, form.leadingCadence)),
    lagging: ['monthly', 'quarterly', 'yearly'].map((v) => option(v, form.laggingCadence)),
    perspectives: ['employer', 'employee'].map((v) => ({ value: v, checked: v === form.moneyPerspective })),
    attemptPolicies: Object.entries(ATTEMPT_POLICY_CHOICES).map(([value, label]) => ({
      value,
      label,
      checked: value === form.attemptPolicy,
    })),
    denominators: Object.entries(DENOMINATOR_CHOICES).map(([value, label]) => ({
      value,
      label,
      checked: value === form.denominator,
    })),
    errors: {},
    ...extra,
  };
}

/** What the program setup pages use. */
export interface ProgramSetupPageDeps {
  programs: ProgramService;
  access: PageAccess;
  publicUrl: string;
}

/** Admin pages: create a program and edit its settings (outcomes, windows, cadence, perspective, horizon). */
export function programSetupPages(deps: ProgramSetupPageDeps): Router {
  const router = Router();
  const { access } = deps;
  const body = express.urlencoded({ extended: false, limit: '32kb' });

  const rejected = (res: Response, form: ProgramForm, err: ValidationError, extra: Record<string, unknown>) =>
    res.status(400).render('pages/programs/setup', view(form, { ...extra, ...fieldErrors(err, ALIASES) }));

  router.get(
    '/admin/programs/new',
    access.guard,
    route(async (_req, res) => {
      res.render(
        'pages/programs/setup',
        view(EMPTY, { title: 'New program', action: '/admin/programs', ...nav(null, 'programs') }),
      );
    }),
  );

  router.post(
    '/admin/programs',
    access.guard,
    body,
    route(async (req, res) => {
      const form = parseInput(programForm, req.body, 'form');
      const extra = { title: 'New program', action: '/admin/programs', ...nav(null, 'programs') };
      try {
        const program = await deps.programs.create(access.tenantId(res), toInput(form));
        res.redirect(303, `/admin/programs/${program.id}/edit?saved=created`);
      } catch (err) {
        if (err instanceof ValidationError) return rejected(res, form, err, extra);
        throw err;
      }
    }),
  );

  router.get(
    '/admin/programs/:programId/edit',
    access.guard,
    route(async (req, res) => {
      const { program } = await programOfRequest(deps.programs, access, req.params, res);
      const saved = req.query.saved;
      res.render(
        'pages/programs/setup',
        view(formOf(program), {
          title: `${program.name}: setup`,
          action: `/admin/programs/${program.id}/edit`,
          editing: true,
          notice:
            saved === 'created'
              ? 'Program created. Next: cohorts, then costs and assumptions.'
              : saved
                ? 'Saved.'
                : null,
          ...nav(program, 'setup'),
        }),
      );
    }),
  );

  router.post(
    '/admin/programs/:programId/edit',
    access.guard,
    body,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      const form = parseInput(programForm, req.body, 'form');
      const extra = {
        title: `${program.name}: setup`,
        action: `/admin/programs/${program.id}/edit`,
        editing: true,
        ...nav(program, 'setup'),
      };
      try {
        await deps.programs.update(tenantId, program.id, toInput(form));
        res.redirect(303, `/admin/programs/${program.id}/edit?saved=1`);
      } catch (err) {
        if (err instanceof ValidationError) return rejected(res, form, err, extra);
        throw err;
      }
    }),
  );
  return router;
}
