import { Router } from 'express';
import { route } from '../../async-route.js';
import { ValidationError } from '../../../errors.js';
import type { ProgramService } from '../../../cohorts/program-service.js';
import type { ProgramRoiReportService } from '../../../reports/program-roi-report-service.js';
import type { ProgramForecastService } from '../../../reports/program-forecast-service.js';
import type { KpiReportService } from '../../../reports/kpi/kpi-report-service.js';
import type { ProgramEconomicsService } from '../../../cohorts/program-economics-service.js';
import { presentBoardSummary } from '../../presenters/board-summary-presenter.js';
import type { PageAccess } from './program-pages.js';
import { nav, programOfRequest } from './program-page-support.js';
import { gatherKirkpatrick } from './kirkpatrick-pages.js';
import { presentKirkpatrick } from '../../presenters/kirkpatrick-presenter.js';

/** What the board summary page reads. */
export interface BoardSummaryPageDeps {
  programs: ProgramService;
  roiReports: ProgramRoiReportService;
  forecasts: ProgramForecastService;
  kpiReports: KpiReportService;
  economics: ProgramEconomicsService;
  access: PageAccess;
}

/** Admin page: the one-page printable board summary of a program. */
export function boardSummaryPages(deps: BoardSummaryPageDeps): Router {
  const router = Router();
  const { access } = deps;
  router.get(
    '/admin/programs/:programId/board',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(deps.programs, access, req.params, res);
      try {
        const report = await deps.roiReports.build(tenantId, program);
        const [versions, dataAsOf] = await Promise.all([
          deps.forecasts.versions(tenantId, program.id, 1),
          deps.forecasts.dataAsOf(
            tenantId,
            report.benefits.map((b) => b.outcome),
          ),
        ]);
        const levels = presentKirkpatrick(await gatherKirkpatrick(deps, tenantId, program, { report }));
        res.render('pages/programs/board', {
          ...presentBoardSummary(program, report, versions[0], dataAsOf),
          kirkpatrick: levels.strip,
          ...nav(program, 'board'),
        });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        res.render('pages/programs/roi-pending', {
          title: `${program.name}: board summary`,
          name: program.name,
          message: err.message,
          ...nav(program, 'board'),
        });
      }
    }),
  );
  return router;
}
