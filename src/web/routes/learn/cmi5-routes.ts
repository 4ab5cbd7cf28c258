import { Router } from 'express';
import { z } from 'zod';
import { route } from '../../async-route.js';
import type { Cmi5LaunchService } from '../../../learning/flow/cmi5-launch-service.js';

const fetchParams = z.object({
  tenantId: z.string().uuid(),
  launchId: z.string().uuid(),
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/),
});

/**
 * The cmi5 fetch URL (cmi5 8.2): external content POSTs here once for its auth-token. cmi5 wants HTTP
 * 200 with an error-code body for every well-formed request, even a refused one; content on any origin
 * may call it (the URL itself is the secret).
 */
export function cmi5Routes(deps: { cmi5: Cmi5LaunchService }): Router {
  const router = Router();
  router.options('/cmi5/fetch/:tenantId/:launchId/:token', (_req, res) => {
    res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'POST' }).status(204).end();
  });
  router.post(
    '/cmi5/fetch/:tenantId/:launchId/:token',
    route(async (req, res) => {
      res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' });
      const parsed = fetchParams.safeParse(req.params);
      if (!parsed.success)
        return void res.json({ 'error-code': '2', 'error-text': 'This fetch URL is not valid.' });
      const p = parsed.data;
      res.json(await deps.cmi5.fetch(p.tenantId, p.launchId, p.token));
    }),
  );
  return router;
}
