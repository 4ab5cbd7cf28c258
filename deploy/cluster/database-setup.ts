import pg from 'pg';
import type { ClusterLayout, ClusterSecrets, ClusterUrls } from './layout.js';

/** Role and database names are fixed; passwords are base64url, so quoting them needs no escaping. */
const literal = (value: string) => {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error('a cluster password has unexpected characters');
  return `'${value}'`;
};

/**
 * Creates (or updates) the owner and runtime roles and the database on the leader, as the superuser.
 * The owner runs migrations and hands the ltijs and pg-boss schemas to the runtime role, so it is a
 * member of it. PgBouncer drops the pg driver's per-connection settings (see pgbouncerConfig), so the
 * runtime role carries them.
 */
export async function setupDatabase(
  layout: ClusterLayout,
  secrets: ClusterSecrets,
  urls: ClusterUrls,
): Promise<void> {
  const client = new pg.Client({ connectionString: urls.superuser, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    for (const [role, password, extra] of [
      ['yardstick_owner', secrets.owner, 'CREATEROLE'],
      ['yardstick_app', secrets.app, ''],
    ] as const) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      await client.query(
        `${rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN ${extra} PASSWORD ${literal(password)}`,
      );
    }
    await client.query('GRANT yardstick_app TO yardstick_owner');
    await client.query(`ALTER ROLE yardstick_app SET statement_timeout = '30s'`);
    await client.query(`ALTER ROLE yardstick_app SET work_mem = '32MB'`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      layout.database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${layout.database} OWNER yardstick_owner`);
  } finally {
    await client.end();
  }
}
