import { Router } from 'express';
import type { AppConfig } from '../../../config.js';
import type { Services } from '../../../services.js';
import type { PageAccess } from './program-pages.js';
import { programSnapshotPages } from './program-snapshot-pages.js';
import { programSetupPages } from './program-setup-pages.js';
import { programCohortPages } from './program-cohort-pages.js';
import { programMoneyPages } from './program-money-pages.js';
import { programContextPages } from './program-context-pages.js';
import { outcomeImportPages } from '../admin/outcome-import-pages.js';
import { boardSummaryPages } from './board-summary-pages.js';
import { kirkpatrickPages } from './kirkpatrick-pages.js';

/** Every admin page of issue #8 beyond the program list and ROI page, mounted as one router. */
export function programAdminPages(deps: {
  services: Services;
  access: PageAccess;
  config: AppConfig;
}): Router {
  const router = Router();
  const publicUrl = deps.config.server.publicUrl;
  router.use(programSetupPages({ services: deps.services, access: deps.access, publicUrl }));
  router.use(programCohortPages({ services: deps.services, access: deps.access, publicUrl }));
  router.use(programMoneyPages({ services: deps.services, access: deps.access, publicUrl }));
  router.use(programContextPages({ services: deps.services, access: deps.access, publicUrl }));
  router.use(outcomeImportPages({ services: deps.services, access: deps.access, publicUrl }));
  router.use(boardSummaryPages({ services: deps.services, access: deps.access }));
  router.use(programSnapshotPages({ services: deps.services, access: deps.access, publicUrl }));
  router.use(kirkpatrickPages({ services: deps.services, access: deps.access }));
  return router;
}
