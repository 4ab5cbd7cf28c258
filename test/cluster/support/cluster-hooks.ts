import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestCluster, stopTestCluster } from './test-cluster.js';

/**
 * Mocha's global fixtures: one cluster in a folder of its own for the whole run, stopped (and its
 * folder removed) at the end, whatever happened.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'yardstick-cluster-test-'));

export async function mochaGlobalSetup(): Promise<void> {
  await startTestCluster(dir);
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopTestCluster();
  if (!process.env.YARDSTICK_CLUSTER_KEEP) rmSync(dir, { recursive: true, force: true });
}
