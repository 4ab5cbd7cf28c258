import { stopTestServer } from './test-server.js';
import { closeLtijs } from '../../src/lti/ltijs/ltijs-provider.js';

process.env.NODE_ENV = 'test';

/** Stops the run's PostgreSQL server (if any test started it). No orphan server survives a run. */
export async function mochaGlobalTeardown(): Promise<void> {
  // Never let a stuck library close keep the run's PostgreSQL server alive.
  await Promise.race([closeLtijs(), new Promise((resolve) => setTimeout(resolve, 15000).unref())]);
  await stopTestServer();
}
