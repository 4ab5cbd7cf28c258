import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, startServerProcess, type RunningServer } from '../../support/spawn-process.js';

/** Resolves once the server's output matches `pattern`; rejects with the output after `timeoutMs`. */
async function outputMatches(server: RunningServer, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!pattern.test(server.output())) {
    if (performance.now() > deadline) throw new Error(`no ${pattern} in the output:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the server process with LTI (npm start)', function () {
  this.timeout(240000);
  const testDb = useTestDatabase();
  let server: RunningServer | undefined;
  after(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
  });

  it('starts ltijs, the pg-boss workers with the roster and program-refresh schedules, and the development LMS', async () => {
    server = await startServerProcess(childEnv({ DATABASE_URL: testDb().url, PORT: '0', LOG_LEVEL: 'info' }));
    // The server listens first and prepares the development LMS and demo data afterwards.
    await outputMatches(server, /demo data ready/, 200000);
    const keys = (await (await fetch(`${server.url}/lti/keys`)).json()) as { keys: unknown[] };
    assert.ok(keys.keys.length >= 1, 'the development LMS registration generated a tool key');
    const { rows } = await sql<{
      name: string;
      cron: string;
    }>`SELECT name, cron FROM pgboss.schedule`.execute(testDb().db);
    assert.deepEqual(
      rows.filter((r) => r.name === 'lti-nrps-sync-all'),
      [{ name: 'lti-nrps-sync-all', cron: '15 3 * * *' }],
    );
    assert.deepEqual(
      rows.filter((r) => r.name === 'program-refresh'),
      [{ name: 'program-refresh', cron: '0 4 * * *' }],
    );
    // Learner modules (issue #6): the abandon job's schedule and the demo modules of the Demo tenant.
    assert.deepEqual(
      rows.filter((r) => r.name === 'learning-abandon-stale-sessions'),
      [{ name: 'learning-abandon-stale-sessions', cron: '*/5 * * * *' }],
    );
    const demo = await sql<{ title: string }>`SELECT title FROM module ORDER BY title`.execute(testDb().db);
    // The two demo modules, the three of Forklift Safety 101's sample activity and the pilots' eight
    // (src/dev/demo/demo-topics.ts).
    assert.deepEqual(
      demo.rows.map((r) => r.title),
      [
        'Auto-escalation',
        'Building resilience',
        'Choosing your deferral rate',
        'Course survey',
        'Employer match basics',
        'Giving feedback',
        'Load limits',
        'Loading docks and ramps',
        'Managing stress',
        'Pedestrians and blind spots',
        'Pre-shift inspection',
        'Reading your retirement statement',
        'Where to go for care',
      ],
    );
    const platforms = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ltijs.platforms`.execute(
      testDb().db,
    );
    assert.equal(platforms.rows[0]!.n, 1);
    // One host in every console message: the public URL's (localhost), not the LMS's 127.0.0.1.
    assert.match(server.output(), /demo data ready: open http:\/\/localhost:\d+\/dev-lms/);
    assert.match(server.output(), /Yardstick listening on http:\/\/localhost:\d+"/);
    assert.doesNotMatch(server.output(), /"msg":"[^"]*127\.0\.0\.1/);
  });
});
