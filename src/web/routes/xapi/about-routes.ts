import { Router } from 'express';

/** GET /xapi/about (xAPI Communication 2.8): the versions this LRS speaks. No authentication. */
export function aboutRoutes(): Router {
  const router = Router();
  router.get('/about', (_req, res) => {
    res.json({ version: ['1.0.3', '2.0.0'], extensions: {} });
  });
  return router;
}
