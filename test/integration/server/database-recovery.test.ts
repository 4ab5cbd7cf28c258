import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  childEnv,
  postgresProcessesFor,
  postmasterPid,
  runProcess,
  startServerProcess,
  type RunningServer,
} from '../../support/spawn-process.js';

/**
 * Polls /readyz until it answers 200, at most `attempts` times half a second apart. The bound only
 * keeps a broken recovery from hanging the run; the test asserts the outcome, not the time it took.
 */
async function waitUntilReady(server: RunningServer, attempts: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const status = await fetch(`${server.url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    seen.push(status);
    if (status === 200) return seen;
    await new Promise((r) => setTimeout(r, 500));
  }
  return seen;
}

describe('the server process when its embedded PostgreSQL dies', function () {
  this.timeout(180000);
  let root: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'yardstick-recovery-'));
    await chmod(root, 0o755);
    dataDir = path.join(root, 'pg');
    env = childEnv({ YARDSTICK_DATA_DIR: dataDir, PORT: '0', LTI_DEV_LMS: 'false' });
  });

  after(async () => {
    for (const pid of await postgresProcessesFor(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('starts the database again after kill -9 of the postmaster, turns ready and stores statements', async () => {
    const server = await startServerProcess(env, 120000);
    try {
      const cli = (...args: string[]) => runProcess(['bin/yardstick.js', ...args], env);
      assert.equal((await cli('tenant', 'create', 'Crash Co')).code, 0);
      const created = await cli('lrs-credentials', 'create', '--tenant', 'Crash Co', '--json');
      assert.equal(created.code, 0, created.stderr);
      const { key, secret } = JSON.parse(created.stdout) as { key: string; secret: string };

      const killed = await postmasterPid(dataDir);
      process.kill(killed, 'SIGKILL');

      const seen = await waitUntilReady(server, 120);
      assert.equal(seen.at(-1), 200, `readyz answered ${seen.join(', ')}\n${server.output()}`);
      assert.notEqual(await postmasterPid(dataDir), killed, 'a new postmaster serves the data directory');
      assert.match(server.output(), /stopped unexpectedly; starting it again/);

      const headers = {
        authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        'x-experience-api-version': '1.0.3',
        'content-type': 'application/json',
      };
      const id = randomUUID();
      const statement = {
        id,
        actor: { mbox: 'mailto:after.crash@example.com' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
        object: { id: 'http://example.com/activities/recovery' },
      };
      const posted = await fetch(`${server.url}/xapi/statements`, {
        method: 'POST',
        headers,
        body: JSON.stringify(statement),
      });
      assert.equal(posted.status, 200, await posted.text());
      const read = await fetch(`${server.url}/xapi/statements?statementId=${id}`, { headers });
      assert.equal(read.status, 200);
      assert.equal(((await read.json()) as { id: string }).id, id);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    }
    assert.deepEqual(await postgresProcessesFor(dataDir), []);
  });
});
