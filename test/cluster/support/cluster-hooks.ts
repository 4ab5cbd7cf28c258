import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestCluster, stopTestCluster } from './test-cluster.js';
import { stopTestPlatform } from './test-platform.js';

/**
 * Mocha's global fixtures: one cluster in a folder of its own for the whole run, stopped (and its
 * folder removed, its logs kept in test-artifacts/cluster-logs) at the end, whatever happened.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'yardstick-cluster-test-'));

export async function mochaGlobalSetup(): Promise<void> {
  await startTestCluster(dir);
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopTestPlatform();
  await stopTestCluster();
  // The processes' logs outlive the folder, for reading a failure after the run.
  const logs = path.join(dir, 'logs');
  const kept = path.resolve(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'cluster-logs');
  if (existsSync(logs)) {
    rmSync(kept, { recursive: true, force: true });
    cpSync(logs, kept, { recursive: true });
    process.stdout.write(`  cluster: logs kept in ${kept}\n`);
  }
  if (!process.env.YARDSTICK_CLUSTER_KEEP) rmSync(dir, { recursive: true, force: true });
}
