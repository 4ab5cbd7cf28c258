import { Router } from 'express';
import type { AppConfig } from '../../config.js';
import type { Services } from '../../services.js';
import type { PageAccess } from './program-pages.js';
import { programSnapshotPages } from './program-snapshot-pages.js';

/** Every admin page of issue #8 beyond the program list and ROI page, mounted as one router. */
export function programAdminPages(deps: {
  services: Services;
  access: PageAccess;
  config: AppConfig;
}): Router {
  const router = Router();
  const publicUrl = deps.config.server.publicUrl;
  router.use(programSnapshotPages({ services: deps.services, access: deps.access, publicUrl }));
  return router;
}
