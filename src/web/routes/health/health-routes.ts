import { Router } from 'express';
import type { HealthService } from '../../../health/health-service.js';

/** /healthz: the process is up. /readyz: the database answers (503 with Retry-After when not). */
export function healthRoutes(deps: { health: HealthService }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const check = await deps.health.checkDatabase();
    if (check.ok) {
      res.json({
        status: 'ready',
        database: { serverVersion: check.serverVersion, latencyMs: check.latencyMs },
      });
    } else {
      res
        .status(503)
        .set('Retry-After', '5')
        .json({ status: 'unavailable', database: { error: check.error } });
    }
  });
  return router;
}
