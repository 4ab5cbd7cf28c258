import { Router } from 'express';
import { route } from '../../async-route.js';
import { ValidationError } from '../../../errors.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { KpiReportService } from '../../../reports/kpi/kpi-report-service.js';
import type { ProgramEconomicsService } from '../../../cohorts/program-economics-service.js';
import type { ProgramForecastService } from '../../../reports/program-forecast-service.js';
import type { ProgramRoiReportService } from '../../../reports/program-roi-report-service.js';
import type { Program } from '../../../cohorts/model.js';
import { presentKirkpatrick, type KirkpatrickInput } from '../../presenters/kirkpatrick-presenter.js';
import type { PageAccess } from './program-pages.js';
import { nav, programOfRequest } from './program-page-support.js';

/** The services the Kirkpatrick levels are gathered from. */
export type KirkpatrickSources = Pick<
  KirkpatrickPageDeps,
  'kpiReports' | 'economics' | 'forecasts' | 'roiReports'
>;

/**
 * What the Kirkpatrick levels of a program rest on, from the services' public APIs: the KPI report for
 * the program's scope (L1-L3), the recorded effects with each outcome's data-as-of date (L4) and the
 * Phillips ROI (L5; a ValidationError such as "no cost model yet" becomes the pending message).
 */
export async function gatherKirkpatrick(
  sources: KirkpatrickSources,
  tenantId: string,
  program: Program,
  /** An ROI report already built for this request (the board summary), so it is not built twice. */
  built?: KirkpatrickInput['roi'],
): Promise<KirkpatrickInput> {
  const [kpis, effects] = await Promise.all([
    sources.kpiReports.build({ tenantId, programId: program.id }),
    sources.economics.effects(tenantId, program.id),
  ]);
  const outcomes = [...new Set([...program.targetOutcomes, ...effects.map((e) => e.outcome)])];
  const dates = await Promise.all(outcomes.map((o) => sources.forecasts.dataAsOf(tenantId, [o])));
  let roi = built;
  if (!roi) {
    try {
      roi = { report: await sources.roiReports.build(tenantId, program) };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      roi = { pending: err.message };
    }
  }
  return {
    program,
    kpis,
    effects,
    outcomeDataAsOf: new Map(outcomes.map((o, i) => [o, dates[i]!])),
    roi,
  };
}

/** What the Kirkpatrick page reads. */
export interface KirkpatrickPageDeps {
  programs: ProgramService;
  kpiReports: KpiReportService;
  economics: ProgramEconomicsService;
  forecasts: ProgramForecastService;
  roiReports: ProgramRoiReportService;
  access: PageAccess;
}

/** Admin page: a program's Kirkpatrick levels 1-5 (reaction, learning, behaviour, results, ROI). */
export function kirkpatrickPages(deps: KirkpatrickPageDeps): Router {
  const router = Router();
  const { access } = deps;
  router.get(
    '/admin/programs/:programId/kirkpatrick',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      res.render('pages/programs/kirkpatrick', {
        ...presentKirkpatrick(await gatherKirkpatrick(deps, tenantId, program)),
        ...nav(program, 'kirkpatrick'),
      });
    }),
  );
  return router;
}
