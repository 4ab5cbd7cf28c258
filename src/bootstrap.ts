import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import {
  resolveDatabase,
  openDatabase,
  type ResolvedDatabase,
  type DatabaseConnection,
} from './storage/database.js';
import { migrateToLatest } from './storage/migrator.js';
import { grantRuntimeAccess, roleOfUrl } from './storage/database-roles.js';
import { withStartupLock } from './storage/startup-lock.js';
import { openReportDatabase } from './storage/report-database.js';
import { createServices, type Services } from './services.js';
import { openLti } from './lti/lti-bootstrap.js';
import { closeLtijs, type LtijsProvider } from './lti/ltijs/ltijs-provider.js';
import { openJobQueue, type JobQueue } from './storage/job-queue.js';
import { createChartRenderPool, warmChartRenderer } from './reports/charts/render-pool.js';
import { warmReportConnections } from './reports/kpi/warm-report-connections.js';

export interface Yardstick {
  database: ResolvedDatabase;
  connection: DatabaseConnection;
  services: Services;
  /** ltijs (LTI 1.3), when opened with `lti: true`. */
  lti?: LtijsProvider;
  /** pg-boss on the same database, opened with LTI. */
  jobs?: JobQueue;
  /** Closes the pool, then stops the embedded server if this process started it. */
  close(): Promise<void>;
}

/** Idle connections of the web server's pools stay open this long, ms. */
const SERVER_IDLE_TIMEOUT_MS = 600_000;
/** How often the server sweeps the KPI capture outbox for statements no store of its own poked about. */
const KPI_SWEEP_INTERVAL_MS = 2_000;

/**
 * Finds the database (DATABASE_URL or embedded), opens a pool, applies pending migrations and builds
 * the services. Shared by `npm start`, the CLI and the benchmarks. On failure nothing is left running.
 */
export async function openYardstick(options: {
  config: AppConfig;
  logger: Logger;
  temporary?: boolean;
  migrate?: boolean;
  applicationName?: string;
  /** Start ltijs (LTI 1.3) on the same database: the server and LTI CLI commands pass true. */
  lti?: boolean;
  /**
   * The web server: start the chart threads, keep database connections open 10 minutes when idle and,
   * once migrated, warm every report connection in the background (see warmReportConnections).
   */
  serve?: boolean;
}): Promise<Yardstick> {
  const { config, logger } = options;
  const database = await resolveDatabase({
    url: config.database.url,
    migrationUrl: config.database.migrationUrl,
    embedded: config.embeddedDatabase,
    temporary: options.temporary ?? !config.embeddedDatabase.persistent,
    logger,
  });
  const idleTimeoutMs = options.serve ? SERVER_IDLE_TIMEOUT_MS : undefined;
  const connection = openDatabase(database.runtimeUrl, {
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    applicationName: options.applicationName,
    workMemMb: config.database.workMemMb,
    idleTimeoutMs,
  });
  // The owner runs migrations, grants and analyst-role DDL (docs/security.md, Database roles).
  const owner =
    database.url === database.runtimeUrl
      ? { ...connection, close: async () => {} }
      : openDatabase(database.url, {
          poolSize: 2,
          statementTimeoutMs: config.database.statementTimeoutMs,
          applicationName: 'yardstick-owner',
        });
  const reportConnection = openReportDatabase(config.database.replicaUrl, connection, {
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    workMemMb: config.database.workMemMb,
    idleTimeoutMs,
    maxLagSeconds: config.database.replicaMaxLagSeconds,
  });
  let jobs: JobQueue | undefined;
  // The web server draws report charts on worker threads, started (and warmed) now rather than on the
  // first report; a CLI command draws none and starts none.
  const charts =
    options.serve && config.reports.chartThreads > 0
      ? createChartRenderPool(config.reports.chartThreads)
      : undefined;
  if (charts) void warmChartRenderer(charts, config.reports.chartThreads);
  // Set once the services exist: close stops their background KPI capture drains first.
  let stopKpiDrains = async (): Promise<void> => {};
  const close = async () => {
    await stopKpiDrains();
    await charts?.close();
    await jobs?.stop();
    // ltijs is one per process: close it only if this Yardstick opened it (a CLI command or a test
    // that opened none must not close another's).
    if (options.lti) await closeLtijs();
    await reportConnection.close();
    await owner.close();
    await connection.close();
    await database.stop();
  };
  let lti: Awaited<ReturnType<typeof openLti>> | undefined;
  try {
    // One server at a time: app servers starting together would race on migrations' and libraries' DDL.
    await withStartupLock(database.url, async () => {
      if (options.migrate !== false) {
        const applied = await migrateToLatest(owner.db);
        if (applied.length) logger.info({ applied }, 'applied database migrations');
      }
      await grantRuntimeAccess(owner.db, roleOfUrl(database.runtimeUrl), {
        ltijsSchema: config.lti.schema,
        jobQueueSchema: 'pgboss',
      });
      if (options.lti) {
        lti = await openLti(config.lti, database.runtimeUrl);
        jobs = await openJobQueue(database.runtimeUrl);
      }
    });
  } catch (err) {
    await close();
    throw err;
  }
  if (options.serve) {
    const started = Date.now();
    warmReportConnections(reportConnection.db, config.database.poolSize).then(
      () => logger.info({ ms: Date.now() - started }, 'warmed the report database connections'),
      (err: unknown) => logger.warn({ err }, 'could not warm the report database connections'),
    );
  }
  const services = createServices({
    db: connection.db,
    onKpiDrainError: (err) => logger.warn({ err }, 'a KPI capture drain failed; the next drain retries'),
    ownerDb: owner.db,
    lti: lti && { ...lti.serviceDeps, jobs },
    learning: config.learning,
    reports: {
      db: reportConnection.db,
      source: reportConnection.current,
      settings: config.reports,
      renderChart: charts && ((chart) => charts.render(chart)),
    },
  });
  // The capture outbox is drained after each store; the sweep catches what no store here poked.
  stopKpiDrains = () => services.kpiFacts.stop();
  if (options.serve) services.kpiFacts.start(KPI_SWEEP_INTERVAL_MS);
  return { database, connection, lti: lti?.provider, jobs, services, close };
}
