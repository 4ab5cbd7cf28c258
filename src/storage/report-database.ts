import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { openDatabase, type DatabaseConnection, type OpenDatabaseOptions } from './database.js';
import { createReplicationRepository } from './repositories/replication-repository.js';
import type { Database } from './schema.js';

/** Where report queries go right now, and why not the replica when they do not. */
export interface ReportSource {
  source: 'primary' | 'replica';
  /** Seconds the replica is behind (0 when it has replayed everything the primary wrote); null when unknown. */
  replicaLagSeconds: number | null;
  /** Set when a replica is configured but reports read the primary: what is wrong with the replica. */
  fallbackReason: string | null;
}

export interface ReportDatabase extends DatabaseConnection {
  /** The source new report queries use. */
  current(): ReportSource;
  /** Measures the replica now (also done every `checkIntervalMs`) and returns the new source. */
  check(): Promise<ReportSource>;
}

export interface ReportDatabaseOptions extends OpenDatabaseOptions {
  /** Largest replica lag, s, at which reports still read the replica (database.replicaMaxLagSeconds). */
  maxLagSeconds: number;
  /** How often the replica's lag is measured, ms. */
  checkIntervalMs?: number;
}

const DEFAULT_CHECK_INTERVAL_MS = 5000;

/**
 * The connection KPI reports read from. Without DATABASE_REPLICA_URL it is the primary's own pool
 * (nothing new is opened). With one, each connection a report checks out comes from the replica while
 * the replica answers, is in recovery and lags at most `maxLagSeconds`; otherwise from the primary,
 * and `current()` says why, so every report can state its source and freshness. Lag is measured
 * against the primary's WAL position: a replica that has replayed everything is 0 s behind even when
 * the primary has been idle for an hour (pg_last_xact_replay_timestamp alone would say an hour).
 */
export function openReportDatabase(
  replicaUrl: string,
  primary: DatabaseConnection,
  options: ReportDatabaseOptions,
): ReportDatabase {
  const primarySource: ReportSource = { source: 'primary', replicaLagSeconds: null, fallbackReason: null };
  if (!replicaUrl)
    return {
      ...primary,
      close: async () => {},
      current: () => primarySource,
      check: async () => primarySource,
    };

  const replica = openDatabase(replicaUrl, { ...options, applicationName: 'yardstick-reports' });
  const primaryRepo = createReplicationRepository(primary.db);
  const replicaRepo = createReplicationRepository(replica.db);
  let state: ReportSource = { ...primarySource, fallbackReason: 'the replica has not been checked yet' };

  const check = async (): Promise<ReportSource> => {
    try {
      const wal = await primaryRepo.currentWal();
      const position = await replicaRepo.position(wal);
      const lag = position.behindBytes === 0 ? 0 : (position.sinceReplaySeconds ?? Infinity);
      if (!position.recovering)
        state = {
          ...primarySource,
          fallbackReason: 'the replica URL reaches a server that is not a replica',
        };
      else if (lag > options.maxLagSeconds)
        state = {
          ...primarySource,
          replicaLagSeconds: Number.isFinite(lag) ? lag : null,
          fallbackReason: `the replica is ${Number.isFinite(lag) ? `${lag.toFixed(1)} s` : 'too far'} behind (more than ${options.maxLagSeconds} s)`,
        };
      else state = { source: 'replica', replicaLagSeconds: lag, fallbackReason: null };
    } catch (err) {
      state = {
        ...primarySource,
        fallbackReason: `the replica cannot be reached (${(err as Error).message})`,
      };
    }
    return state;
  };
  const timer = setInterval(() => void check(), options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
  timer.unref();
  void check();

  // A pool that hands out replica connections while the replica is fit, and primary ones otherwise;
  // a replica that stops answering sends this and later connections to the primary at once.
  const routing = {
    async connect() {
      if (state.source === 'replica') {
        try {
          return await replica.pool.connect();
        } catch (err) {
          state = {
            ...primarySource,
            fallbackReason: `the replica cannot be reached (${(err as Error).message})`,
          };
        }
      }
      return primary.pool.connect();
    },
    async end() {},
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: routing as unknown as pg.Pool }) });
  return {
    db,
    pool: replica.pool,
    current: () => state,
    check,
    async close() {
      clearInterval(timer);
      await db.destroy();
      await replica.close();
    },
  };
}
