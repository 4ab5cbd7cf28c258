import { Router } from 'express';
import { programSnapshotPages, type ProgramSnapshotPageDeps } from './program-snapshot-pages.js';
import { programSetupPages, type ProgramSetupPageDeps } from './program-setup-pages.js';
import { programCohortPages, type ProgramCohortPageDeps } from './program-cohort-pages.js';
import { programMoneyPages, type ProgramMoneyPageDeps } from './program-money-pages.js';
import { programContextPages, type ProgramContextPageDeps } from './program-context-pages.js';
import { outcomeImportPages, type OutcomeImportPageDeps } from '../admin/outcome-import-pages.js';
import { boardSummaryPages, type BoardSummaryPageDeps } from './board-summary-pages.js';
import { kirkpatrickPages, type KirkpatrickPageDeps } from './kirkpatrick-pages.js';

/** What the pages of programAdminPages use together (each page router takes its own part). */
export type ProgramAdminPageDeps = ProgramSetupPageDeps &
  ProgramCohortPageDeps &
  ProgramMoneyPageDeps &
  ProgramContextPageDeps &
  OutcomeImportPageDeps &
  BoardSummaryPageDeps &
  ProgramSnapshotPageDeps &
  KirkpatrickPageDeps;

/** Every admin page of issue #8 beyond the program list and ROI page, mounted as one router. */
export function programAdminPages(deps: ProgramAdminPageDeps): Router {
  const router = Router();
  router.use(programSetupPages(deps));
  router.use(programCohortPages(deps));
  router.use(programMoneyPages(deps));
  router.use(programContextPages(deps));
  router.use(outcomeImportPages(deps));
  router.use(boardSummaryPages(deps));
  router.use(programSnapshotPages(deps));
  router.use(kirkpatrickPages(deps));
  return router;
}
