import { Router } from 'express';
import { route } from '../../async-route.js';
import { ValidationError } from '../../../errors.js';
import type { Services } from '../../../services.js';
import { presentBoardSummary } from '../../presenters/board-summary-presenter.js';
import type { PageAccess } from './program-pages.js';
import { nav, programOfRequest } from './program-page-support.js';
import { gatherKirkpatrick } from './kirkpatrick-pages.js';
import { presentKirkpatrick } from '../../presenters/kirkpatrick-presenter.js';

/** Admin page: the one-page printable board summary of a program. */
export function boardSummaryPages(deps: { services: Services; access: PageAccess }): Router {
  const router = Router();
  const { services, access } = deps;
  router.get(
    '/admin/programs/:programId/board',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(services, access, req.params, res);
      try {
        const report = await services.roiReports.build(tenantId, program);
        const [versions, dataAsOf] = await Promise.all([
          services.forecasts.versions(tenantId, program.id, 1),
          services.forecasts.dataAsOf(
            tenantId,
            report.benefits.map((b) => b.outcome),
          ),
        ]);
        const levels = presentKirkpatrick(await gatherKirkpatrick(services, tenantId, program, { report }));
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
