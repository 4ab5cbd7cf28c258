import { Router } from 'express';
import { NotFoundError } from '../../../errors.js';
import type { ContentPackageService } from '../../../learning/cmi5/content-package-service.js';
import { route } from '../../async-route.js';

/**
 * The response headers of every package file. Package code is the vendor's, not Yardstick's, so it runs
 * in a sandbox without allow-same-origin: the browser gives it an opaque origin, so it cannot read
 * Yardstick's cookies, storage or pages, and its requests to Yardstick are cross-origin
 * (docs/content-packages.md, Serving). Scripts, forms and popups stay allowed: authoring tools' players
 * need them. nosniff keeps a browser from running a file as anything but its declared type.
 */
export const CONTENT_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': 'sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'cross-origin',
});

/**
 * GET /content/:tenantId/:packageId/<path>: the files of imported cmi5 packages (public: the package
 * id is an unguessable uuid, and AU content has no Yardstick session to show). A package never changes
 * after import (a newer one gets a new id), so responses may be cached for a day.
 */
export function contentPackageRoutes(deps: { contentPackages: ContentPackageService }): Router {
  const router = Router();
  router.get(
    '/content/:tenantId/:packageId/*',
    route(async (req, res) => {
      res.set(CONTENT_SECURITY_HEADERS);
      const path = (req.params as Record<string, string>)[0] ?? '';
      try {
        const file = await deps.contentPackages.file(req.params.tenantId!, req.params.packageId!, path);
        res
          .set({ 'Content-Type': file.contentType, 'Cache-Control': 'private, max-age=86400, immutable' })
          .send(file.bytes);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        res
          .status(404)
          .type('text/plain')
          .set('Cache-Control', 'no-store')
          .send('No such file in this package.');
      }
    }),
  );
  return router;
}
