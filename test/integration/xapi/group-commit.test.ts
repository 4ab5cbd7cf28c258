import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createApp } from '../../../src/app.js';
import { createServices } from '../../../src/services.js';
import { createXapiStatementRepository } from '../../../src/storage/repositories/xapi-statement-repository.js';
import { createStatementService } from '../../../src/xapi/statements/statement-service.js';
import { useTestDatabase } from '../../support/test-database.js';
import { lrsClient, statement } from '../../support/xapi-client.js';
import {
  childEnv,
  postgresProcessesFor,
  postmasterPid,
  descendantsOf,
  runProcess,
  startServerProcess,
} from '../../support/spawn-process.js';

/** Resolves once `check` holds, polling every 5 ms (at most 20 s, so a defect cannot hang the run). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 4000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('xAPI group commit of single-statement writes', () => {
  const testDb = useTestDatabase();

  /**
   * The app with a statement repository whose next `held` INSERTs after `hold(held)` wait for
   * `release()`, and which records the statement ids of every INSERT: the way to know which requests
   * shared a group.
   */
  function gatedApp() {
    const db = testDb().db;
    const repo = createXapiStatementRepository(db);
    const inserts: string[][] = [];
    let entered = 0;
    let held = 0;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const gated: typeof repo = {
      ...repo,
      async insertStatements(trx, tenantId, credentialId, rows) {
        inserts.push(rows.map((r) => r.id));
        if (entered < held) {
          entered++;
          await gate;
        }
        return repo.insertStatements(trx, tenantId, credentialId, rows);
      },
    };
    const services = createServices({ db });
    const xapiStatements = createStatementService({ db, statements: gated });
    const app = createApp({
      config: loadConfig({ env: { NODE_ENV: 'test' } }),
      logger: createLogger({ level: 'silent', pretty: false }),
      services: { ...services, xapiStatements },
      database: { serverVersion: 'test', source: 'embedded' },
    });
    return {
      app,
      services,
      xapiStatements,
      inserts,
      hold: (n: number) => (held = n),
      entered: () => entered,
      release: () => open(),
    };
  }

  it('stores concurrent single POSTs together and answers each with its own id', async () => {
    const { app, services, xapiStatements, inserts, hold, entered, release } = gatedApp();
    const lrs = await lrsClient(app, services);
    hold(2);
    const sent = Array.from({ length: 24 }, () => ({ ...statement(), id: randomUUID() }));
    const first = sent.slice(0, 2).map((s) =>
      lrs
        .post('/xapi/statements')
        .send(s)
        .then((r) => r),
    );
    await until(() => entered() === 2, 'two groups are committing');
    const rest = sent.slice(2).map((s) =>
      lrs
        .post('/xapi/statements')
        .send(s)
        .then((r) => r),
    );
    await until(() => xapiStatements.writeQueue().queued === 22, 'the other requests are queued');
    release();
    const responses = await Promise.all([...first, ...rest]);
    responses.forEach((res, i) => {
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, [sent[i]!.id]);
    });
    // Two groups of one, then the 22 waiting requests in one INSERT.
    assert.deepEqual(
      inserts.map((ids) => ids.length),
      [1, 1, 22],
    );
    for (const s of sent) {
      const got = await lrs.get(`/xapi/statements?statementId=${s.id}`).expect(200);
      assert.equal(got.body.id, s.id);
    }
  });

  it('fails only the request whose id conflicts; the others of its group are stored', async () => {
    const { app, services, xapiStatements, inserts, hold, entered, release } = gatedApp();
    const lrs = await lrsClient(app, services);
    const taken: Record<string, unknown> = { ...statement(), id: randomUUID() };
    await lrs.post('/xapi/statements').send(taken).expect(200);
    hold(2);

    const blockers = [0, 1].map(() =>
      lrs
        .post('/xapi/statements')
        .send({ ...statement(), id: randomUUID() })
        .then((r) => r),
    );
    await until(() => entered() === 2, 'two groups are committing');
    const good = [0, 1, 2].map(() => ({ ...statement(), id: randomUUID() }));
    const clash = {
      ...statement({ verb: { id: 'http://example.com/verbs/other' } }),
      id: taken.id as string,
    };
    const group = [good[0]!, clash, good[1]!, good[2]!];
    const pending = group.map((s) =>
      lrs
        .post('/xapi/statements')
        .send(s)
        .then((r) => r),
    );
    await until(() => xapiStatements.writeQueue().queued === 4, 'the four requests are queued');
    release();
    for (const res of await Promise.all(blockers)) assert.equal(res.status, 200, res.text);
    const [a, conflict, b, c] = await Promise.all(pending);
    assert.equal(conflict!.status, 409, conflict!.text);
    assert.match(conflict!.body.error.message, /different statement with id/);
    for (const [res, s] of [
      [a, good[0]],
      [b, good[1]],
      [c, good[2]],
    ] as const) {
      assert.equal(res!.status, 200, res!.text);
      assert.deepEqual(res!.body, [s!.id]);
      await lrs.get(`/xapi/statements?statementId=${s!.id}`).expect(200);
    }
    // The four shared one INSERT; it was rolled back and the three stored again without the clash.
    // (Requests queue in the order they arrive, not the order they were sent.)
    const sorted = (ids: string[]) => [...ids].sort();
    assert.deepEqual(inserts.slice(3).map(sorted), [
      sorted(group.map((s) => s.id)),
      sorted(good.map((s) => s.id)),
    ]);
    const stored = await lrs.get(`/xapi/statements?statementId=${taken.id}`).expect(200);
    assert.equal(stored.body.verb.id, (taken.verb as { id: string }).id);
  });
});

describe('group commit durability: kill -9 of PostgreSQL during a burst of single POSTs', function () {
  this.timeout(240000);
  let root: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'yardstick-group-commit-'));
    // The embedded server may run as the 'postgres' user (when tests run as root): let it in.
    await chmod(root, 0o755);
    dataDir = path.join(root, 'pg');
    env = childEnv({ YARDSTICK_DATA_DIR: dataDir, PORT: '0', LTI_DEV_LMS: 'false' });
  });

  after(async () => {
    for (const pid of await postgresProcessesFor(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('has every acknowledged statement after the database restarts', async () => {
    const server = await startServerProcess(env, 120000);
    try {
      const cli = (...args: string[]) => runProcess(['bin/yardstick.js', ...args], env);
      assert.equal((await cli('tenant', 'create', 'Burst Co')).code, 0);
      const created = await cli('lrs-credentials', 'create', '--tenant', 'Burst Co', '--json');
      assert.equal(created.code, 0, created.stderr);
      const { key, secret } = JSON.parse(created.stdout) as { key: string; secret: string };
      const headers = {
        authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        'x-experience-api-version': '1.0.3',
        'content-type': 'application/json',
      };

      const acknowledged: string[] = [];
      const refused = new Map<number, number>();
      let stop = false;
      const worker = async () => {
        while (!stop) {
          const s = { ...statement(), id: randomUUID() };
          const res = await fetch(`${server.url}/xapi/statements`, {
            method: 'POST',
            headers,
            body: JSON.stringify(s),
          }).catch(() => undefined);
          if (res?.status === 200) {
            assert.deepEqual(await res.json(), [s.id]);
            acknowledged.push(s.id);
          } else {
            await res?.text();
            refused.set(res?.status ?? 0, (refused.get(res?.status ?? 0) ?? 0) + 1);
            // While the database is down, do not spin.
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      };
      const workers = Promise.all(Array.from({ length: 32 }, worker));
      await until(() => acknowledged.length >= 200, '200 statements are acknowledged');
      const pid = await postmasterPid(dataDir);
      // The whole server at once, as a power cut would: the postmaster and every backend.
      const kill = (p: number) => {
        try {
          process.kill(p, 'SIGKILL');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
        }
      };
      for (const child of await descendantsOf(pid)) kill(child.pid);
      kill(pid);
      const atKill = acknowledged.length;
      // The server restarts its database by itself; the burst goes on until it stores again.
      for (let i = 0; i < 240; i++) {
        if (acknowledged.length >= atKill + 200) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      stop = true;
      await workers;
      assert.ok(acknowledged.length >= atKill + 200, `stored nothing after the kill:\n${server.output()}`);
      assert.ok(refused.size > 0, 'the kill refused no request: it did not happen during the burst');
      for (const status of refused.keys()) assert.ok([0, 500, 503].includes(status), `answered ${status}`);

      const missing: string[] = [];
      for (let i = 0; i < acknowledged.length; i += 16) {
        await Promise.all(
          acknowledged.slice(i, i + 16).map(async (id) => {
            const res = await fetch(`${server.url}/xapi/statements?statementId=${id}`, { headers });
            await res.text();
            if (res.status !== 200) missing.push(id);
          }),
        );
      }
      assert.deepEqual(
        missing,
        [],
        `${missing.length} of ${acknowledged.length} acknowledged statements are missing`,
      );
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
