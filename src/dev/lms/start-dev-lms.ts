import type { Kysely } from 'kysely';
import type { AppConfig } from '../../config.js';
import type { Services } from '../../services.js';
import type { Database } from '../../storage/schema.js';
import { createModuleRepository } from '../../storage/repositories/module-repository.js';
import { LOAD_LIMITS_LINK, seedDemoModules } from '../demo/demo-modules.js';
import { NotFoundError } from '../../errors.js';
import { toolUrls } from '../../lti/platforms/platform-service.js';
import { DevLms } from './dev-lms.js';

export const DEMO_TENANT = 'Demo';

/**
 * The development LMS's own origin: Yardstick's public URL with localhost swapped for 127.0.0.1, so
 * LMS and tool are different sites even on a laptop and the cross-site cookie path really runs.
 */
export function devLmsBase(publicUrl: string): string {
  const u = new URL(publicUrl);
  if (u.hostname === 'localhost') u.hostname = '127.0.0.1';
  return u.origin;
}

/**
 * Builds the development LMS when `lti.devLms.enabled` (development and test only; config refuses it in
 * production) and registers it with the seeded "Demo" tenant, creating either when missing, and seeds
 * the tenant's demo modules. Runs after the services are built, from composition code (server, tests).
 */
export async function startDevLms(
  config: AppConfig,
  services: Services,
  db: Kysely<Database>,
): Promise<DevLms | undefined> {
  if (!config.lti.devLms.enabled || config.env === 'production') return undefined;
  const lms = new DevLms(devLmsBase(config.server.publicUrl), toolUrls(config.server.publicUrl));
  const tenant = await services.tenants.getByName(DEMO_TENANT).catch(async (err) => {
    if (err instanceof NotFoundError) return services.tenants.create(DEMO_TENANT);
    throw err;
  });
  const existing = await services.lti.platforms.findByIssuer(lms.issuer, lms.clientId);
  if (!existing) {
    await services.lti.platforms.register({
      tenant: tenant.name,
      issuer: lms.issuer,
      clientId: lms.clientId,
      deploymentIds: [lms.deploymentId],
      authUrl: lms.urls.auth,
      tokenUrl: lms.urls.token,
      jwksUrl: lms.urls.jwks,
      name: 'Development LMS',
      source: 'dev-lms',
    });
  }
  // The demo modules (issue #6); links carry the module id as deep linking would, so the first launch binds them.
  const demo = await seedDemoModules(createModuleRepository(db), tenant.id);
  const bind: Record<string, string> = {
    [LOAD_LIMITS_LINK]: demo.loadLimits,
    'sales-201-module-1': demo.loadLimits,
    'safety-101-survey': demo.courseSurvey,
  };
  for (const course of lms.courses)
    for (const link of course.links)
      if (bind[link.id]) link.custom = { ...link.custom, yardstick_module_id: bind[link.id]! };
  return lms;
}
