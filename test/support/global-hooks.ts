import { stopTestServer } from './test-server.js';

process.env.NODE_ENV = 'test';

/** Stops the run's PostgreSQL server (if any test started it). No orphan server survives a run. */
export async function mochaGlobalTeardown(): Promise<void> {
  await stopTestServer();
}
