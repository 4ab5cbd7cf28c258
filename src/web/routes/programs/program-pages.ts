import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import { ValidationError } from '../../../errors.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { ProgramRoiReportService } from '../../../reports/program-roi-report-service.js';
import type { ChartCacheService } from '../../../reports/charts/chart-cache.js';
import type { ProgramForecastService } from '../../../reports/program-forecast-service.js';
import { presentProgramRoi, roiWaterfall } from '../../presenters/program-roi-presenter.js';
import { nav } from './program-page-support.js';
import { presentForecast } from '../../presenters/program-forecast-presenter.js';
import { formatDate, outcomeLabel } from '../../presenters/format.js';

/** How program pages know who may see them and for which tenant (an admin LTI session in production). */
export interface PageAccess {
  guard: RequestHandler;
  tenantId(res: Response): string;
}

const params = z.object({ programId: z.string().uuid('not a program id') });

/** What the program list and ROI page read. */
export interface ProgramPageDeps {
  programs: ProgramService;
  roiReports: ProgramRoiReportService;
  chartCache: ChartCacheService;
  forecasts: ProgramForecastService;
  access: PageAccess;
}

/** Admin pages: the tenant's programs, and a program's Phillips ROI with its waterfall. */
export function programPages(deps: ProgramPageDeps): Router {
  const router = Router();
  const { access } = deps;

  router.get(
    '/admin/programs',
    access.guard,
    route(async (_req, res) => {
      const programs = await deps.programs.list(access.tenantId(res));
      res.render('pages/programs/index', {
        title: 'Programs',
        ...nav(null, 'programs'),
        programs: programs.map((p) => ({
          id: p.id,
          name: p.name,
          outcomes: p.targetOutcomes.map(outcomeLabel).join(', '),
          created: formatDate(p.createdAt),
        })),
      });
    }),
  );

  router.get(
    '/admin/programs/:programId',
    access.guard,
    route(async (req, res) => {
      const parsed = params.safeParse(req.params);
      if (!parsed.success)
        throw new ValidationError('That address does not name a program; pick one from the list.');
      const tenantId = access.tenantId(res);
      const program = await deps.programs.get(tenantId, parsed.data.programId);
      try {
        const report = await deps.roiReports.build(tenantId, program);
        const versions = await deps.forecasts.versions(tenantId, program.id);
        res.render('pages/programs/roi', {
          ...presentProgramRoi(program, report, versions[0]),
          kpiLink: `/admin/programs/${program.id}/kpis`,
          chart: await deps.chartCache.render(tenantId, roiWaterfall(report)),
          forecast: presentForecast(versions),
          ...nav(program, 'overview'),
        });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        res.render('pages/programs/roi-pending', {
          title: `${program.name}: ROI`,
          name: program.name,
          message: err.message,
          ...nav(program, 'overview'),
          kpiLink: `/admin/programs/${program.id}/kpis`,
        });
      }
    }),
  );
  return router;
}
