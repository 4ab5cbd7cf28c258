import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import {
  startEmbeddedServer,
  runtimeRolePassword,
  EmbeddedServerError,
  type StorageLogger,
} from './embedded-server.js';
import { createDatabaseRoleRepository } from './repositories/database-role-repository.js';
import type { Database } from './schema.js';

/** The login role the embedded server's app connections use (see docs/security.md, Database roles). */
export const EMBEDDED_RUNTIME_ROLE = 'yardstick_app';

// A calendar date (SQL `date`) stays the 'YYYY-MM-DD' string it is; a JS Date would shift it by the
// process's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** Raised when no PostgreSQL could be had; the message names everything that was tried. */
export class DatabaseUnavailableError extends Error {}

export interface ResolveDatabaseOptions {
  /** DATABASE_URL; when non-empty it is the only thing tried. */
  url: string;
  /** DATABASE_MIGRATION_URL: the owner connection for migrations and grants; empty uses `url`. */
  migrationUrl?: string;
  embedded: { enabled: boolean; dataDir: string; port: number };
  /** Temporary embedded data directory (tests, benchmarks) instead of a persistent one. */
  temporary: boolean;
  logger: StorageLogger;
}

/** Where the database lives, and how to let it go. */
export interface ResolvedDatabase {
  /**
   * The owner's connection: migrations, grants, analyst roles, and the server-level work of tests and
   * benchmarks (scratch databases). The embedded superuser, or DATABASE_MIGRATION_URL || DATABASE_URL.
   */
  url: string;
  /** What the app runs as: `yardstick_app` on the embedded server, else DATABASE_URL. */
  runtimeUrl: string;
  source: 'DATABASE_URL' | 'embedded';
  /** The embedded server's data directory, when embedded. */
  dataDir?: string;
  serverVersion: string;
  /** Stops the embedded server (no-op for DATABASE_URL). */
  stop(): Promise<void>;
}

/**
 * The single place Yardstick finds its PostgreSQL, used by `npm start`, the tests and the benchmarks:
 * DATABASE_URL if set; else an embedded server it starts itself; else a DatabaseUnavailableError naming
 * what was tried.
 */
export async function resolveDatabase(options: ResolveDatabaseOptions): Promise<ResolvedDatabase> {
  if (options.url) {
    const serverVersion = await probe(options.url).catch((err: Error) => {
      throw new DatabaseUnavailableError(
        `could not connect to DATABASE_URL (${redact(options.url)}): ${err.message}. Check the host, port and credentials, or unset DATABASE_URL to use the embedded server.`,
      );
    });
    const ownerUrl = options.migrationUrl || options.url;
    if (ownerUrl !== options.url) {
      await probe(ownerUrl).catch((err: Error) => {
        throw new DatabaseUnavailableError(
          `could not connect to DATABASE_MIGRATION_URL (${redact(ownerUrl)}): ${err.message}. Check its credentials, or unset it to run migrations as DATABASE_URL's user.`,
        );
      });
    }
    return {
      url: ownerUrl,
      runtimeUrl: options.url,
      source: 'DATABASE_URL',
      serverVersion,
      stop: async () => {},
    };
  }
  if (!options.embedded.enabled) {
    throw new DatabaseUnavailableError(
      'DATABASE_URL is not set and the embedded PostgreSQL is disabled (embeddedDatabase.enabled=false); set DATABASE_URL to a PostgreSQL 14+ server.',
    );
  }
  let server;
  try {
    server = await startEmbeddedServer({
      dataDir: options.embedded.dataDir,
      temporary: options.temporary,
      port: options.embedded.port,
      logger: options.logger,
    });
  } catch (err) {
    const why = err instanceof EmbeddedServerError ? err.message : String(err);
    throw new DatabaseUnavailableError(`DATABASE_URL is not set, and ${why}.`);
  }
  try {
    const serverVersion = await probe(server.url);
    const password = await runtimeRolePassword(server.dataDir);
    const owner = openDatabase(server.url, { poolSize: 1, statementTimeoutMs: 0 });
    try {
      await createDatabaseRoleRepository(owner.db).ensureLoginRole(EMBEDDED_RUNTIME_ROLE, password);
    } finally {
      await owner.close();
    }
    const runtime = new URL(server.url);
    runtime.username = EMBEDDED_RUNTIME_ROLE;
    runtime.password = password;
    return {
      url: server.url,
      runtimeUrl: runtime.toString(),
      source: 'embedded',
      dataDir: server.dataDir,
      serverVersion,
      stop: () => server.stop(),
    };
  } catch (err) {
    await server.stop();
    throw new DatabaseUnavailableError(
      `the embedded PostgreSQL started but does not answer: ${(err as Error).message}`,
    );
  }
}

async function probe(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Hides the password of a connection URL for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

export interface OpenDatabaseOptions {
  poolSize: number;
  statementTimeoutMs: number;
  applicationName?: string;
  /**
   * work_mem of every session, MB (sorts and hashes of the KPI reports stay in memory); absent leaves
   * the server's setting.
   */
  workMemMb?: number;
  /**
   * How long an idle connection stays open, ms (pg's default 10 s when absent). The server keeps its
   * connections longer, so the backends' catalog caches outlive a quiet spell between reports.
   */
  idleTimeoutMs?: number;
}

export interface DatabaseConnection {
  db: Kysely<Database>;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Opens a Kysely instance over a pg pool. `close` ends the pool. */
export function openDatabase(url: string, options: OpenDatabaseOptions): DatabaseConnection {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs || undefined,
    application_name: options.applicationName ?? 'yardstick',
    options: options.workMemMb ? `-c work_mem=${options.workMemMb}MB` : undefined,
    connectionTimeoutMillis: 10000,
    idleTimeoutMillis: options.idleTimeoutMs,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Likewise a client checked out between two queries of a transaction: without a listener, a
  // dropped connection (database killed or restarted) is an uncaught exception that ends the
  // process. The transaction's next query fails and reports it (503) instead.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** Replaces the database name of a connection URL. */
export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
