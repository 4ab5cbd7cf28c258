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
const SHARED = Symbol.for('yardstick.test-server');

interface TestServer {
  resolved: ResolvedDatabase;
  adminUrl: string;
  templateName: string;
}

/**
 * The run's one server, kept on globalThis: Node 20 lets mocha require() ES-module test files, so tsx
 * loads some test files (and this module with them) as CommonJS and others as ES modules, and each copy
 * of this module would otherwise start, and leave running, a server of its own.
 */
const shared = ((globalThis as { [SHARED]?: { server?: Promise<TestServer> } })[SHARED] ??= {});

const quietLogger = { info() {}, warn() {}, debug() {} };

export function testServer(): Promise<TestServer> {
  shared.server ??= startTestServer();
  return shared.server;
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
  if (!shared.server) return;
  const server = await shared.server.catch(() => undefined);
  shared.server = undefined;
  if (!server) return;
  await dropScratchDatabase(server.adminUrl, server.templateName).catch(() => {});
  await server.resolved.stop();
}
