import type { Router } from 'express';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Yardstick } from '../bootstrap.js';
import { DEMO_TENANT, startDevLms } from './lms/start-dev-lms.js';
import { devLmsRoutes } from './lms/dev-lms-routes.js';
import { seedDemoPrograms } from './demo/demo-seed.js';
import { seedDemoCourseActivity } from './demo/demo-course-activity.js';
import { createDemoPeopleRepository } from './demo/demo-people-repository.js';

/** What the development side adds to the server: routers the app mounts among its public routes. */
export interface DevServer {
  routers: Router[];
}

/**
 * The development LMS of `npm start` (loaded by server.ts through `import()` only when
 * `lti.devLms.enabled`): registers it with the Demo tenant and seeds the demo modules; in development
 * also the demo programs and the sample course activity (each once; a failure there is logged and the
 * server runs without it). Undefined when the config does not enable the development LMS.
 */
export async function startDevServer(deps: {
  config: AppConfig;
  logger: Logger;
  yardstick: Yardstick;
}): Promise<DevServer | undefined> {
  const { config, logger, yardstick } = deps;
  const devLms = await startDevLms(config, yardstick.services, yardstick.connection.db);
  if (!devLms) return undefined;
  if (config.env === 'development') {
    const started = performance.now();
    const seeded = await seedDemoPrograms({
      services: yardstick.services,
      people: createDemoPeopleRepository(yardstick.connection.db),
      tenantName: DEMO_TENANT,
    }).catch((err: unknown) => {
      logger.error({ err }, 'the demo programs could not be seeded; the server runs without them');
      return [];
    });
    if (seeded.length)
      logger.info(
        { programs: seeded, ms: Math.round(performance.now() - started) },
        `demo tenant "${DEMO_TENANT}": seeded ${seeded.length} pilot programs`,
      );
    const activityStarted = performance.now();
    const stored = await seedDemoCourseActivity({
      db: yardstick.connection.db,
      services: yardstick.services,
      lms: devLms,
      tenantName: DEMO_TENANT,
    }).catch((err: unknown) => {
      logger.error({ err }, 'the demo course activity could not be seeded; the server runs without it');
      return 0;
    });
    if (stored)
      logger.info(
        { statements: stored, ms: Math.round(performance.now() - activityStarted) },
        `demo tenant "${DEMO_TENANT}": sample learner activity in Forklift Safety 101`,
      );
  }
  logger.info(
    { url: devLms.urls.home },
    `development LMS: open ${devLms.urls.home} to launch Yardstick as a learner, instructor or admin`,
  );
  return { routers: [devLmsRoutes(devLms)] };
}
