process.env.NODE_ENV = 'test';

/**
 * Stops the run's PostgreSQL server (if any test started it) and ltijs' pool, so the run ends by itself
 * with no orphan server and no open socket.
 *
 * Mocha loads this file with require() (tsx compiles it to CommonJS), and under Node 20 it loads each
 * test file with require() too when it can, else with import(): so a module may exist twice in one run.
 * test-server.ts and ltijs-provider.ts keep their state on globalThis for that reason, and whichever
 * copy this imports stops the one server and the one ltijs.
 *
 * If anything still keeps the process alive 30 s after this teardown, the run fails naming the open
 * handles, instead of hanging (mocha runs without `exit: true`).
 */
export async function mochaGlobalTeardown(): Promise<void> {
  const { closeLtijs } = await import('../../src/lti/ltijs/ltijs-provider.js');
  const { stopTestServer } = await import('./test-server.js');
  // Never let a stuck library close keep the run's PostgreSQL server alive.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closeLtijs(), new Promise((resolve) => (timer = setTimeout(resolve, 15000)))]);
  clearTimeout(timer);
  await stopTestServer();
  setTimeout(() => {
    const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
    const names = handles.map((h) => h.constructor.name).join(', ');
    process.stderr.write(`\nThe test run stayed open after its teardown; open handles: ${names}\n`);
    process.exit(1);
  }, 30000).unref();
}
