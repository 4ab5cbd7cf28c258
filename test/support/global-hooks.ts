process.env.NODE_ENV = 'test';

/**
 * Stops the run's PostgreSQL server (if any test started it) and ltijs' pool, so the run ends by itself
 * with no orphan server and no open socket.
 *
 * Mocha loads this file with require(), so tsx compiles it to CommonJS, while the test files are ES
 * modules: a static import here would get a second, CommonJS copy of test-server.ts and of ltijs-provider.ts
 * whose state no test ever set (so nothing was stopped). import() loads the test files' own copies.
 */
export async function mochaGlobalTeardown(): Promise<void> {
  const { closeLtijs } = await import('../../src/lti/ltijs/ltijs-provider.js');
  const { stopTestServer } = await import('./test-server.js');
  // Never let a stuck library close keep the run's PostgreSQL server alive.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closeLtijs(), new Promise((resolve) => (timer = setTimeout(resolve, 15000)))]);
  clearTimeout(timer);
  await stopTestServer();
}
