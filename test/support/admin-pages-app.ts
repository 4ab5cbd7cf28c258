import type { RequestHandler } from 'express';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/app.js';
import { createServices, type Services } from '../../src/services.js';
import { ForbiddenError } from '../../src/errors.js';
import type { TestDatabase } from './test-database.js';

/**
 * The real app with admin pages whose access is stubbed the way an admin LTI session provides it: a
 * guard that admits a request naming its tenant in `x-test-tenant`. `origin` is the public URL's
 * origin, which form posts must carry (same-origin CSRF check).
 */
export function adminPagesApp(database: TestDatabase): {
  app: ReturnType<typeof createApp>;
  services: Services;
  origin: string;
} {
  const config = loadConfig({ env: { NODE_ENV: 'test' } });
  const services = createServices({ db: database.db });
  const guard: RequestHandler = (req, res, next) => {
    const tenant = req.get('x-test-tenant');
    if (!tenant) return next(new ForbiddenError('Open this page from the LMS as an administrator.'));
    res.locals.tenantId = tenant;
    next();
  };
  const app = createApp({
    config,
    logger: createLogger({ level: 'silent', pretty: false }),
    services,
    database: { serverVersion: 'test', source: 'embedded' },
    adminPages: { guard, tenantId: (res) => res.locals.tenantId as string },
  });
  return { app, services, origin: new URL(config.server.publicUrl).origin };
}
