import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  childEnv,
  descendantsOf,
  postgresProcessesFor,
  startServerProcess,
  stillRunning,
  type ProcessInfo,
} from '../../support/spawn-process.js';

/**
 * `npm start` as a process manager (systemd, Docker, a PaaS) runs it: one PID, the npm process, gets
 * SIGTERM, and everything npm started below it must stop with it. npm forwards SIGTERM to its script's
 * shell; Debian's sh (dash) does not pass it on, so the script has to `exec` node.
 */
describe('npm start under a process manager', function () {
  this.timeout(120000);
  let root: string;
  let dataDir: string;
  let started: ProcessInfo[] = [];

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'yardstick-npm-start-'));
    await chmod(root, 0o755);
    dataDir = path.join(root, 'pg');
  });

  after(async () => {
    // Whatever the test found still running (when it fails) must not outlive the run.
    for (const { pid } of await stillRunning(started)) process.kill(pid, 'SIGKILL');
    for (const pid of await postgresProcessesFor(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('leaves no node and no postgres process behind when only the npm process gets SIGTERM', async () => {
    const env = childEnv({ YARDSTICK_DATA_DIR: dataDir, PORT: '0', LTI_DEV_LMS: 'false' });
    const server = await startServerProcess(env, 60000, ['npm', 'start']);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

    started = await descendantsOf(server.child.pid!);
    const programs = started.map((p) => path.basename(p.program));
    assert.ok(programs.includes('node'), `expected node below npm, found ${programs.join(', ')}`);
    assert.ok(programs.includes('postgres'), `expected postgres below npm, found ${programs.join(', ')}`);

    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 0, server.output());

    const left = (await stillRunning(started)).filter((p) =>
      ['node', 'postgres'].includes(path.basename(p.program)),
    );
    assert.deepEqual(left, []);
    assert.deepEqual(await postgresProcessesFor(dataDir), []);
  });
});
