import { Router } from 'express';
import { route } from '../../async-route.js';
import type { TenantService } from '../../../tenants/tenant-service.js';
import { presentHome, type DatabaseInfo } from '../../presenters/home-presenter.js';

/** The landing page of a bare server (LMS launches arrive elsewhere). */
export function homeRoutes(deps: {
  tenants: Pick<TenantService, 'list'>;
  database: DatabaseInfo;
  /** The development LMS's address, when this server serves one. */
  devLmsUrl?: string;
}): Router {
  const router = Router();
  router.get(
    '/',
    route(async (_req, res) => {
      const tenants = await deps.tenants.list();
      res.render(
        'pages/home/index',
        presentHome({ tenants, database: deps.database, devLmsUrl: deps.devLmsUrl }),
      );
    }),
  );
  return router;
}
