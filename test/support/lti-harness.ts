import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/app.js';
import { createServices, type ReportDeps, type Services } from '../../src/services.js';
import { withDatabaseName } from '../../src/storage/database.js';
import { openLti } from '../../src/lti/lti-bootstrap.js';
import { startDevLms } from '../../src/dev/lms/start-dev-lms.js';
import type { DevLms } from '../../src/dev/lms/dev-lms.js';
import { devLmsRoutes } from '../../src/dev/lms/dev-lms-routes.js';
import { testServer } from './test-server.js';
import { createScratchDatabase, dropScratchDatabase } from '../../src/storage/scratch-databases.js';
import { openJobQueue, type JobQueue } from '../../src/storage/job-queue.js';
import { startLtiWorkers } from '../../src/lti/lti-jobs.js';
import type { TestDatabase } from './test-database.js';

/**
 * ltijs is a process-wide singleton bound to one database, so the whole test run shares one ltijs
 * database (its own, on the run's PostgreSQL server); Yardstick's tables stay in each file's database.
 * Platforms registered by different files never collide: each harness's dev LMS has its own issuer (port).
 */
let ltijsDatabase: Promise<string> | undefined;

function ltijsDatabaseUrl(): Promise<string> {
  ltijsDatabase ??= (async () => {
    const server = await testServer();
    const name = `yardstick_ltijs_${process.pid}`;
    await dropScratchDatabase(server.adminUrl, name);
    await createScratchDatabase(server.adminUrl, name);
    return withDatabaseName(server.adminUrl, name);
  })();
  return ltijsDatabase;
}

export interface LtiHarness {
  /** Yardstick's public URL (http://localhost:PORT). */
  url: string;
  /** The express app the server runs (for tests that list its routes). */
  app: Express;
  config: AppConfig;
  services: Services;
  devLms: DevLms;
  /** The harness's pg-boss queue (in the file's database). */
  jobs: JobQueue;
  close(): Promise<void>;
}

/** A real HTTP server running the real app with ltijs and the development LMS, on a free port. */
export async function startLtiHarness(
  database: TestDatabase,
  overrides: {
    lti?: Partial<AppConfig['lti']>;
    rosterPageSize?: number;
    /** KPI report settings (e.g. a lower privacy minimum for a journey of three learners). */
    reports?: ReportDeps;
    /** Start the LTI job workers (default true); false is a server that commits but never delivers. */
    workers?: boolean;
  } = {},
): Promise<LtiHarness> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const port = (server.address() as { port: number }).port;
  const config = loadConfig({
    env: { NODE_ENV: 'test' },
    overrides: {
      server: { publicUrl: `http://localhost:${port}` },
      ...(overrides.lti ? { lti: overrides.lti } : {}),
    },
  });
  const lti = await openLti(config.lti, await ltijsDatabaseUrl());
  // pg-boss lives in the file's own database, like Yardstick's tables; short polling keeps tests quick.
  const jobs: JobQueue = await openJobQueue(database.url, { pollingIntervalSeconds: 0.5 });
  const services = createServices({
    db: database.db,
    lti: { ...lti.serviceDeps, jobs, rosterPageSize: overrides.rosterPageSize },
    reports: overrides.reports,
  });
  if (overrides.workers !== false) await startLtiWorkers(services.lti, jobs, { rosterSyncCron: '' });
  const devLms = (await startDevLms(config, services, database.db))!;
  const logger = createLogger({ level: 'silent', pretty: false });
  const app = createApp({
    config,
    logger,
    services,
    database: { serverVersion: 'test', source: 'embedded' },
    lti: lti.provider,
    extraRouters: [devLmsRoutes(devLms)],
  });
  server.on('request', app);
  return {
    url: `http://localhost:${port}`,
    app,
    config,
    services,
    devLms,
    jobs,
    async close() {
      await jobs.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
