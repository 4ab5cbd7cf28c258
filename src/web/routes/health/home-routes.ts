import { Router } from 'express';
import { route } from '../../async-route.js';
import type { Services } from '../../../services.js';
import { presentHome, type DatabaseInfo } from '../../presenters/home-presenter.js';

/** The landing page of a bare server (LMS launches arrive elsewhere). */
export function homeRoutes(deps: { services: Services; database: DatabaseInfo }): Router {
  const router = Router();
  router.get(
    '/',
    route(async (_req, res) => {
      const tenants = await deps.services.tenants.list();
      res.render('pages/home/index', presentHome({ tenants, database: deps.database }));
    }),
  );
  return router;
}
