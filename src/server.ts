import type { Server } from 'node:http';
import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { openYardstick, type Yardstick } from './bootstrap.js';
import { createApp } from './app.js';
import { startLtiWorkers } from './lti/lti-jobs.js';
import { startLearningWorkers } from './learning/flow/learning-jobs.js';
import { startProgramRefreshWorkers } from './reports/program-refresh-jobs.js';
import { startRetentionWorkers } from './privacy/retention-jobs.js';
import { DatabaseUnavailableError } from './storage/database.js';
import { MigrationError } from './storage/migrator.js';
import { closeGracefully } from './web/graceful-close.js';
import { createDrain, type Drain } from './web/middleware/draining.js';

/** Errors whose message says everything; printed without a stack trace. */
const EXPECTED = [ConfigError, DatabaseUnavailableError, MigrationError];

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.log);
  const yardstick = await openYardstick({
    config,
    logger,
    applicationName: 'yardstick-app',
    lti: true,
    serve: true,
  });
  const { database } = yardstick;
  logger.info(
    { serverVersion: database.serverVersion, source: database.source, dataDir: database.dataDir },
    database.source === 'embedded'
      ? `PostgreSQL ${database.serverVersion} (embedded), data in ${database.dataDir}`
      : `PostgreSQL ${database.serverVersion} from DATABASE_URL`,
  );

  // The development LMS and demo data are loaded only when enabled: production never imports src/dev.
  const dev = config.lti.devLms.enabled
    ? (await import('./dev/dev-server.js')).createDevServer({ config, logger, yardstick })
    : undefined;
  const drain = createDrain();
  const app = createApp({
    drain,
    config,
    logger,
    services: yardstick.services,
    database,
    lti: yardstick.lti,
    extraRouters: dev?.routers,
  });
  // Listen first: /readyz answers as soon as the database does; workers and demo data follow.
  const server = await listen(app, config.server.port, config.server.host).catch(async (err) => {
    await yardstick.close();
    throw err;
  });
  const port = (server.address() as { port: number }).port;
  const url = shownUrl(config, port);
  logger.info({ port, url }, `Yardstick listening on ${url}`);
  installShutdown(server, yardstick, logger, drain, config.server);

  if (yardstick.jobs)
    await startLtiWorkers(yardstick.services.lti, yardstick.jobs, {
      rosterSyncCron: config.lti.rosterSyncCron,
    });
  if (yardstick.jobs)
    await startLearningWorkers(
      {
        tenants: yardstick.services.tenants,
        flow: yardstick.services.learning.flow,
        auSessions: yardstick.services.learning.auSessions,
      },
      yardstick.jobs,
      { abandonCron: config.learning.abandonCron },
    );
  if (yardstick.jobs)
    await startProgramRefreshWorkers(yardstick.services.programRefresh, yardstick.jobs, {
      refreshCron: config.programs.refreshCron,
    });
  if (yardstick.jobs)
    await startRetentionWorkers(yardstick.services.retention, yardstick.jobs, {
      sweepCron: config.privacy.retentionSweepCron,
    });
  if (dev) {
    const started = performance.now();
    // Every page says so in a banner (views/layouts/main.hbs) until the demo data is in place.
    app.locals.preparingDemo = true;
    const ready = await dev.prepare();
    app.locals.preparingDemo = false;
    if (ready)
      logger.info(
        { url: `${url}/dev-lms`, ms: Math.round(performance.now() - started) },
        `demo data ready: open ${url}/dev-lms to launch Yardstick as a learner, instructor or admin`,
      );
  }
}

/**
 * The address console messages name: the configured public URL, with the port picked at start when
 * PORT is 0 and the public URL is a local one (one host in every message, never 127.0.0.1 and localhost).
 */
function shownUrl(config: ReturnType<typeof loadConfig>, port: number): string {
  const url = new URL(config.server.publicUrl);
  if (config.server.port === 0 && (url.hostname === 'localhost' || url.hostname === '127.0.0.1'))
    url.port = String(port);
  return url.origin;
}

/** Longer than the idle timeout of the proxies in front (HAProxy's pool purge 5 s, cloud balancers 60 s). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    // An idle keep-alive connection is closed by the proxy in front, never by us: a proxy that reuses
    // it as we close it (Node's default 5 s) loses the request it sent, and does not retry a POST.
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigError([`port ${port} is already in use; set PORT to a free port (or 0 to pick one)`])
          : err,
      );
    });
  });
}

/**
 * A repeat of the first signal within this many ms is the same request delivered twice: Ctrl-C or a
 * process manager signals the whole process group, and `npm start` forwards the signal it got too.
 */
const DUPLICATE_SIGNAL_MS = 1000;

/**
 * SIGTERM/SIGINT: drain for `shutdownDelayMs` (still serving, /readyz failing so a load balancer
 * takes the server out, no connection kept alive), then stop accepting connections, let in-flight
 * requests finish (up to `shutdownGraceMs`), close the pool, stop the embedded server, exit. A second
 * signal (not the first one's duplicate) exits at once.
 */
function installShutdown(
  server: Server,
  yardstick: Yardstick,
  logger: ReturnType<typeof createLogger>,
  drain: Drain,
  timing: { shutdownDelayMs: number; shutdownGraceMs: number },
): void {
  let first: { signal: string; at: number } | undefined;
  const shutdown = async (signal: string) => {
    if (first) {
      if (signal === first.signal && performance.now() - first.at < DUPLICATE_SIGNAL_MS) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    first = { signal, at: performance.now() };
    drain.begin();
    if (timing.shutdownDelayMs > 0) {
      logger.info({ signal, ms: timing.shutdownDelayMs }, 'shutting down: draining (/readyz answers 503)');
      await new Promise((resolve) => setTimeout(resolve, timing.shutdownDelayMs));
    }
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    await closeGracefully(server, timing.shutdownGraceMs);
    await yardstick.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (EXPECTED.some((E) => err instanceof E)) {
    process.stderr.write(`yardstick: ${(err as Error).message}\n`);
  } else {
    process.stderr.write(`yardstick: could not start: ${(err as Error)?.stack ?? String(err)}\n`);
  }
  process.exit(1);
});
