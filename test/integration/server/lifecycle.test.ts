import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  childEnv,
  postgresProcessesFor,
  runProcess,
  startServerProcess,
} from '../../support/spawn-process.js';

/**
 * `npm start` for real: a child process on the embedded server with a persistent data directory,
 * stopped by signals, killed with -9, and started again.
 */
describe('the server process', function () {
  this.timeout(120000);
  let root: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'yardstick-lifecycle-'));
    await chmod(root, 0o755);
    dataDir = path.join(root, 'pg');
    // These tests count tenants; the development LMS (on by default in development) seeds a Demo tenant.
    env = childEnv({ YARDSTICK_DATA_DIR: dataDir, PORT: '0', LTI_DEV_LMS: 'false' });
  });

  after(async () => {
    for (const pid of await postgresProcessesFor(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runProcess(['bin/yardstick.js', ...args], env);

  it('serves /readyz from a new embedded server, and SIGTERM leaves no postgres process behind', async () => {
    const server = await startServerProcess(env);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.match(server.output(), /PostgreSQL \d+\.\d+ \(embedded\), data in/);

    // The CLI attaches to the server this process runs, rather than starting a second one.
    const created = await cli('tenant', 'create', 'Persisted Co', '--json');
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).name, 'Persisted Co');

    assert.equal((await postgresProcessesFor(dataDir)).length > 0, true);
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 0);
    assert.deepEqual(await postgresProcessesFor(dataDir), []);
  });

  it('reuses the data directory on the next start: the data survives', async () => {
    const server = await startServerProcess(env);
    try {
      const listed = await cli('tenant', 'list', '--json');
      assert.equal(listed.code, 0, listed.stderr);
      assert.deepEqual(
        JSON.parse(listed.stdout).map((t: { name: string }) => t.name),
        ['Persisted Co'],
      );
    } finally {
      server.child.kill('SIGINT');
      assert.equal((await server.exited).code, 0);
    }
  });

  it('recovers after kill -9 of the app left its postgres running', async () => {
    const first = await startServerProcess(env);
    first.child.kill('SIGKILL');
    await first.exited;
    assert.ok(
      (await postgresProcessesFor(dataDir)).length > 0,
      'expected the orphaned server to survive the app',
    );

    const second = await startServerProcess(env);
    try {
      assert.equal((await fetch(`${second.url}/readyz`)).status, 200);
      const home = await (await fetch(`${second.url}/`)).text();
      assert.match(home, /<dt>Tenants<\/dt><dd>1<\/dd>/);
    } finally {
      second.child.kill('SIGTERM');
      assert.equal((await second.exited).code, 0);
    }
    assert.deepEqual(await postgresProcessesFor(dataDir), []);
  });

  describe('with bad configuration', () => {
    const expectOneClearMessage = async (extra: Record<string, string>, pattern: RegExp) => {
      const result = await runProcess(
        ['--import', 'tsx', 'src/server.ts'],
        childEnv({ YARDSTICK_DATA_DIR: dataDir, ...extra }),
      );
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, pattern);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(result.stderr.trim().split('\n')[0]!.startsWith('yardstick: '), true, result.stderr);
    };

    it('exits non-zero naming PORT when the port is not a number', async () => {
      await expectOneClearMessage({ PORT: 'abc' }, /PORT="abc" is not a valid integer/);
    });

    it('exits non-zero naming DATABASE_URL when it is unreachable', async () => {
      await expectOneClearMessage(
        { DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/db' },
        /could not connect to DATABASE_URL \(postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db\)/,
      );
    });

    it('exits non-zero naming the data directory when it cannot be created', async () => {
      await expectOneClearMessage(
        { YARDSTICK_DATA_DIR: '/proc/yardstick/pg' },
        /data directory \/proc\/yardstick\/pg cannot be created.*YARDSTICK_DATA_DIR/,
      );
    });
  });
});
