import { Router } from 'express';
import type { HealthService } from '../../../health/health-service.js';

/**
 * /healthz: the process is up. /readyz: the database answers (503 with Retry-After when not), and
 * how far KPI capture runs behind ingest (`kpiCapture.behind`, `lagging` past the limit): the LRS
 * stays ready to store while reports catch up, so lag is reported for monitoring, not as 503.
 */
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
        // Left out when the probe fails after the database answered (readiness is the database's).
        kpiCapture: await deps.health.checkKpiCapture().catch(() => undefined),
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
