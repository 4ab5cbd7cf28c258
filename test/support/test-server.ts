import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { resolveDatabase, withDatabaseName, type ResolvedDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrator.js';

/**
 * One PostgreSQL server for the whole test run (DATABASE_URL when set, else an embedded server with a
 * temporary data directory), started lazily by the first test that needs it, with a template database
 * migrated once. Test files clone their own database from the template (test-database.ts).
 */
interface TestServer {
  resolved: ResolvedDatabase;
  adminUrl: string;
  templateName: string;
}

let serverPromise: Promise<TestServer> | undefined;

const quietLogger = { info() {}, warn() {}, debug() {} };

export function testServer(): Promise<TestServer> {
  serverPromise ??= startTestServer();
  return serverPromise;
}

async function startTestServer(): Promise<TestServer> {
  const resolved = await resolveDatabase({
    url: process.env.DATABASE_URL ?? '',
    embedded: { enabled: true, dataDir: '', port: 0 },
    temporary: true,
    logger: quietLogger,
  });
  const templateName = `yardstick_template_${process.pid}`;
  await adminQuery(resolved.url, `DROP DATABASE IF EXISTS ${templateName}`);
  await adminQuery(resolved.url, `CREATE DATABASE ${templateName}`);
  const templateUrl = withDatabaseName(resolved.url, templateName);
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: templateUrl, max: 1 }) }),
  });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return { resolved, adminUrl: resolved.url, templateName };
}

/** Runs one statement on the server's maintenance database. */
export async function adminQuery(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** Drops the template and stops the server (embedded) at the end of the run. */
export async function stopTestServer(): Promise<void> {
  if (!serverPromise) return;
  const server = await serverPromise.catch(() => undefined);
  serverPromise = undefined;
  if (!server) return;
  await adminQuery(server.adminUrl, `DROP DATABASE IF EXISTS ${server.templateName} WITH (FORCE)`).catch(
    () => {},
  );
  await server.resolved.stop();
}
