import { Router } from 'express';
import { route } from '../../async-route.js';
import { ValidationError } from '../../../errors.js';
import type { Services } from '../../../services.js';
import type { Program } from '../../../cohorts/model.js';
import { presentKirkpatrick, type KirkpatrickInput } from '../../presenters/kirkpatrick-presenter.js';
import type { PageAccess } from './program-pages.js';
import { nav, programOfRequest } from './program-page-support.js';

/**
 * What the Kirkpatrick levels of a program rest on, from the services' public APIs: the KPI report for
 * the program's scope (L1-L3), the recorded effects with each outcome's data-as-of date (L4) and the
 * Phillips ROI (L5; a ValidationError such as "no cost model yet" becomes the pending message).
 */
export async function gatherKirkpatrick(
  services: Services,
  tenantId: string,
  program: Program,
  /** An ROI report already built for this request (the board summary), so it is not built twice. */
  built?: KirkpatrickInput['roi'],
): Promise<KirkpatrickInput> {
  const [kpis, effects] = await Promise.all([
    services.kpiReports.build({ tenantId, programId: program.id }),
    services.economics.effects(tenantId, program.id),
  ]);
  const outcomes = [...new Set([...program.targetOutcomes, ...effects.map((e) => e.outcome)])];
  const dates = await Promise.all(outcomes.map((o) => services.forecasts.dataAsOf(tenantId, [o])));
  let roi = built;
  if (!roi) {
    try {
      roi = { report: await services.roiReports.build(tenantId, program) };
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

/** Admin page: a program's Kirkpatrick levels 1-5 (reaction, learning, behaviour, results, ROI). */
export function kirkpatrickPages(deps: { services: Services; access: PageAccess }): Router {
  const router = Router();
  const { services, access } = deps;
  router.get(
    '/admin/programs/:programId/kirkpatrick',
    access.guard,
    route(async (req, res) => {
      const { tenantId, program } = await programOfRequest(services, access, req.params, res);
      res.render('pages/programs/kirkpatrick', {
        ...presentKirkpatrick(await gatherKirkpatrick(services, tenantId, program)),
        ...nav(program, 'kirkpatrick'),
      });
    }),
  );
  return router;
}
