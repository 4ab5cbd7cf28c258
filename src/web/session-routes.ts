import { Router, type Express } from 'express';

/**
 * Mounts, in order, every router a launch session's cookie reaches (the pages inside the LMS frame),
 * all behind one router: the one place for middleware every such route needs (a CSRF defence, say),
 * added here once rather than per page. Public routes (health, xAPI, the admin API, /lti endpoints,
 * the development LMS) authenticate each request themselves and are mounted outside it.
 */
export function mountSessionRoutes(app: Express, routers: Router[]): void {
  const session = Router();
  for (const router of routers) session.use(router);
  app.use(session);
}
