import { Router, type RequestHandler } from 'express';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Yardstick } from '../bootstrap.js';
import { DEMO_TENANT, startDevLms } from './lms/start-dev-lms.js';
import { devLmsRoutes } from './lms/dev-lms-routes.js';
import { seedDemoPrograms } from './demo/demo-seed.js';
import { seedDemoCourseActivity } from './demo/demo-course-activity.js';
import { seedDemoProgramLearning } from './demo/demo-program-learning.js';
import { warmDemoReports } from './demo/demo-warm-up.js';
import { createDemoPeopleRepository } from './demo/demo-people-repository.js';

/** What the development side adds to the server. */
export interface DevServer {
  /** Routers the app mounts among its public routes: /dev-lms, answering "preparing" until ready. */
  routers: Router[];
  /**
   * Registers the development LMS, seeds the demo modules and, in development, the demo programs and
   * the sample course activity (each once). Run after the server listens; never rejects: a failure is
   * logged and the server runs without that part. True when the development LMS runs.
   */
  prepare(): Promise<boolean>;
}

/** Seconds after which the "preparing" page of /dev-lms reloads itself. */
const RELOAD_SECONDS = 3;

/**
 * The development LMS of `npm start` (loaded by server.ts through `import()` only when
 * `lti.devLms.enabled`). Nothing here touches the database until `prepare()`, so the server listens
 * (and /readyz answers) before the demo data exists; /dev-lms says "Preparing demo data…" meanwhile.
 */
export function createDevServer(deps: {
  config: AppConfig;
  logger: Logger;
  yardstick: Yardstick;
}): DevServer {
  const { config, logger, yardstick } = deps;
  let lms: Router | undefined;
  let failed = false;
  const preparing: RequestHandler = (req, res, next) => {
    if (lms) return lms(req, res, next);
    if (req.path !== '/dev-lms' && !req.path.startsWith('/dev-lms/')) return next();
    res
      .status(503)
      .set({ 'Retry-After': String(RELOAD_SECONDS), 'Cache-Control': 'no-store' })
      .render('pages/dev-lms/preparing', {
        title: 'Development LMS',
        failed,
        reloadSeconds: failed ? undefined : RELOAD_SECONDS,
      });
  };
  const router = Router();
  router.use(preparing);

  const prepare = async () => {
    const devLms = await startDevLms(config, yardstick.services, yardstick.connection.db).catch(
      (err: unknown) => {
        logger.error({ err }, 'the development LMS could not start; the server runs without it');
        failed = true;
        return undefined;
      },
    );
    if (!devLms) return false;
    lms = devLmsRoutes(devLms);
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
      const learningStarted = performance.now();
      const learned = await seedDemoProgramLearning({
        db: yardstick.connection.db,
        services: yardstick.services,
        lms: devLms,
        tenantName: DEMO_TENANT,
      }).catch((err: unknown) => {
        logger.error(
          { err },
          'the demo programs’ learner activity could not be seeded; the server runs without it',
        );
        return 0;
      });
      if (learned)
        logger.info(
          { statements: learned, ms: Math.round(performance.now() - learningStarted) },
          `demo tenant "${DEMO_TENANT}": sample learner activity in the three pilots' courses`,
        );
      const warmStarted = performance.now();
      const warmed = await warmDemoReports(yardstick.services, DEMO_TENANT).catch((err: unknown) => {
        logger.warn({ err }, 'could not warm the demo course reports');
        return 0;
      });
      logger.info(
        { courses: warmed, ms: Math.round(performance.now() - warmStarted) },
        `demo tenant "${DEMO_TENANT}": read each course report once, so the first one after a start is quick`,
      );
    }
    return true;
  };
  return { routers: [router], prepare };
}
