import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { openYardstick, type Yardstick } from '../../../src/bootstrap.js';

/**
 * Least privilege on the embedded default: the superuser migrates and grants, the app's connections
 * run as `yardstick_app`, which can read and write Yardstick's data and nothing more.
 */
describe('the database roles of a fresh embedded start', function () {
  this.timeout(180000);
  let y: Yardstick;

  before(async () => {
    const config = loadConfig({ env: { NODE_ENV: 'test' } });
    y = await openYardstick({
      config,
      logger: createLogger({ level: 'silent', pretty: false }),
      temporary: true,
    });
  });
  after(async () => y?.close());

  it('connects the app as a role that is no superuser and cannot create roles or databases', async () => {
    const { rows } = await sql<{
      role: string;
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
    }>`
      SELECT current_user AS role, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles
      WHERE rolname = current_user`.execute(y.connection.db);
    assert.deepEqual(rows[0], {
      role: 'yardstick_app',
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
    });
    await assert.rejects(sql`CREATE ROLE intruder`.execute(y.connection.db), /permission denied/);
    await assert.rejects(sql`CREATE DATABASE intruder`.execute(y.connection.db), /permission denied/);
    await assert.rejects(
      sql`CREATE TABLE public.intruder (a int)`.execute(y.connection.db),
      /permission denied/,
    );
  });

  it('keeps the generated password in the data directory, readable by its owner only', async () => {
    const file = path.join(y.database.dataDir!, 'yardstick-app-credentials.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it('writes data as the app role, and creates analyst roles on the owner connection', async () => {
    const tenant = await y.services.tenants.create('Least Privilege Co');
    assert.equal(tenant.name, 'Least Privilege Co');
    const analyst = await y.services.analystAccess.create('Least Privilege Co');
    const roles = await y.services.analystAccess.list('Least Privilege Co');
    assert.deepEqual(
      roles.map((r) => r.roleName),
      [analyst.roleName],
    );
  });
});
