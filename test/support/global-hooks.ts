import { stopTestServer } from './test-server.js';
import { closeLtijs } from '../../src/lti/ltijs/ltijs-provider.js';

process.env.NODE_ENV = 'test';

/** Stops the run's PostgreSQL server (if any test started it). No orphan server survives a run. */
export async function mochaGlobalTeardown(): Promise<void> {
  await closeLtijs();
  await stopTestServer();
}
