import {
  openDatabase,
  resolveDatabase,
  withDatabaseName,
  type ResolvedDatabase,
} from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrator.js';
import { createScratchDatabase, dropScratchDatabase } from '../../src/storage/scratch-databases.js';

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
  await dropScratchDatabase(resolved.url, templateName);
  await createScratchDatabase(resolved.url, templateName);
  const template = openDatabase(withDatabaseName(resolved.url, templateName), {
    poolSize: 1,
    statementTimeoutMs: 0,
  });
  try {
    await migrateToLatest(template.db);
  } finally {
    await template.close();
  }
  return { resolved, adminUrl: resolved.url, templateName };
}

/** Drops the template and stops the server (embedded) at the end of the run. */
export async function stopTestServer(): Promise<void> {
  if (!serverPromise) return;
  const server = await serverPromise.catch(() => undefined);
  serverPromise = undefined;
  if (!server) return;
  await dropScratchDatabase(server.adminUrl, server.templateName).catch(() => {});
  await server.resolved.stop();
}
