import pg from 'pg';

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(name: string): string {
  if (!NAME.test(name))
    throw new Error(`"${name}" is not a safe database name (lowercase letters, digits, underscores)`);
  return name;
}

/** Runs one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run in a pool transaction). */
export async function runOnServer(serverUrl: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database for tests or benchmarks, optionally cloned from a template database (a file
 * copy on the server, in milliseconds).
 */
export async function createScratchDatabase(
  serverUrl: string,
  name: string,
  template?: string,
): Promise<void> {
  const from = template ? ` TEMPLATE ${checkName(template)}` : '';
  await runOnServer(serverUrl, `CREATE DATABASE ${checkName(name)}${from}`);
}

/** Drops a scratch database, closing its remaining connections. */
export async function dropScratchDatabase(serverUrl: string, name: string): Promise<void> {
  await runOnServer(serverUrl, `DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`);
}
