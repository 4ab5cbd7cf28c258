import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/app.js';
import { createServices } from '../../../src/services.js';
import { openDatabase, resolveDatabase, type ResolvedDatabase } from '../../../src/storage/database.js';
import { migrateToLatest } from '../../../src/storage/migrator.js';
import { statement } from '../../support/xapi-client.js';

const BATCH = 20;
const log = (m: string) => process.env.DEBUG_DURABILITY && console.log(new Date().toISOString(), m);

/** PIDs whose parent is `pid` (from /proc/<pid>/stat). */
async function childrenOf(pid: number): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(entry));
  }
  return out;
}

/**
 * kill -9 of the database in the middle of concurrent batch ingest: after restart every
 * acknowledged statement is there and no batch is partly stored (Communication 2.1.2, and the ack
 * only after a durable commit). Runs its own embedded server: the shared test server must live on.
 */
describe('durability: kill -9 of PostgreSQL during concurrent batch ingest', function () {
  this.timeout(180000);
  let dir: string;
  let database: ResolvedDatabase | undefined;
  const logger = createLogger({ level: 'silent', pretty: false });
  const resolve = () =>
    resolveDatabase({
      url: '',
      embedded: { enabled: true, dataDir: dir, port: 0 },
      temporary: false,
      logger,
    });

  before(async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'yardstick-durability-'));
    // The embedded server may run as the 'postgres' user (when tests run as root): let it in.
    await chmod(parent, 0o755);
    dir = path.join(parent, 'data');
  });
  after(async () => {
    await database?.stop();
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('keeps every acknowledged statement and never a partial batch', async () => {
    database = await resolve();
    let connection = openDatabase(database.url, { poolSize: 8, statementTimeoutMs: 30000 });
    await migrateToLatest(connection.db);
    const services = createServices({ db: connection.db });
    const config = loadConfig({ env: { NODE_ENV: 'test' } });
    const app = createApp({
      config,
      logger,
      services,
      database: { serverVersion: 'test', source: 'embedded' },
    });
    await services.tenants.create('durable');
    const cred = await services.lrsCredentials.create({
      tenant: 'durable',
      scopes: ['all'],
      homePage: 'http://x',
    });
    const auth = `Basic ${Buffer.from(`${cred.key}:${cred.secret}`).toString('base64')}`;

    const acknowledged: string[][] = [];
    const attempted: string[][] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const batch = Array.from({ length: BATCH }, () => ({ ...statement(), id: randomUUID() }));
        attempted.push(batch.map((s) => s.id));
        const res = await request(app)
          .post('/xapi/statements')
          .set('Authorization', auth)
          .set('X-Experience-API-Version', '1.0.3')
          .send(batch)
          .catch(() => undefined);
        if (res?.status === 200) acknowledged.push(res.body as string[]);
        else if (res && res.status !== 503 && res.status !== 500)
          throw new Error(`unexpected ${res.status}: ${res.text}`);
        if (!res || res.status !== 200) return;
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    const running = Promise.all(workers);
    for (let waited = 0; acknowledged.length < 10; waited += 20) {
      if (waited > 60000) throw new Error(`only ${acknowledged.length} batches acknowledged in 60 s`);
      await Promise.race([running, new Promise((r) => setTimeout(r, 20))]);
    }
    // The whole server at once, as a power cut would: the postmaster and every backend.
    const pid = Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    // A backend may exit between listing and killing it (ESRCH): that one is gone already.
    const kill = (p: number) => {
      try {
        process.kill(p, 'SIGKILL');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    };
    for (const child of await childrenOf(pid)) kill(child);
    kill(pid);
    await running;
    stop = true;
    log('workers stopped');
    await Promise.race([connection.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    log('pool closed');
    await database.stop();
    log('server stopped');

    database = await resolve();
    log('server restarted');
    connection = openDatabase(database.url, { poolSize: 2, statementTimeoutMs: 30000 });
    try {
      const rows = await connection.db.selectFrom('xapi_statement').select('id').execute();
      const present = new Set(rows.map((r) => r.id));
      for (const ids of acknowledged)
        for (const id of ids) assert.ok(present.has(id), `acknowledged ${id} is missing`);
      for (const ids of attempted) {
        const stored = ids.filter((id) => present.has(id)).length;
        assert.ok(stored === 0 || stored === BATCH, `a batch is partly stored: ${stored} of ${BATCH}`);
      }
      assert.ok(acknowledged.length >= 10);
    } finally {
      await connection.close();
    }
  });
});
