import { clusterLayout, type ClusterLayout } from '../../../deploy/cluster/layout.js';
import { clusterUp, type ClusterState } from '../../../deploy/cluster/cluster-up.js';
import { clusterDown } from '../../../deploy/cluster/cluster.js';
import { PackagesUnavailableError } from '../../../deploy/cluster/packages.js';
import { runProcess } from '../../support/spawn-process.js';

export interface TestCluster {
  layout: ClusterLayout;
  state: ClusterState;
  /** The tenant the scenarios write to, and an LRS credential of it. */
  lrs: { tenantId: string; tenantName: string; auth: string };
}

let cluster: TestCluster | undefined;
let skipReason: string | undefined;

const log = (line: string) => process.stdout.write(`  cluster: ${line}\n`);

/** The port range of test clusters (the default 25400 is left to `npm run cluster`). */
const TEST_PORT_BASE = '25500';

/**
 * What the scenarios need beyond the reference cluster: the test LMS runs on this machine's loopback
 * (test-platform.ts), and roster sync ticks every minute so the jobs scenario sees ticks in a run.
 */
const TEST_APP_ENV = { LTI_ALLOW_PRIVATE_NETWORK_FETCH: 'true', LTI_ROSTER_SYNC_CRON: '* * * * *' };

/** Starts the cluster in `dir`, or records why the scenarios skip (the Debian packages cannot be had). */
export async function startTestCluster(dir: string): Promise<void> {
  const layout = clusterLayout({
    YARDSTICK_CLUSTER_DIR: dir,
    YARDSTICK_CLUSTER_PORT_BASE: process.env.YARDSTICK_CLUSTER_PORT_BASE || TEST_PORT_BASE,
  });
  let state: ClusterState;
  try {
    state = await clusterUp(layout, log, { appEnv: TEST_APP_ENV });
  } catch (err) {
    if (err instanceof PackagesUnavailableError) {
      skipReason = `cluster scenarios skipped: ${err.message}`;
      process.stdout.write(`  ${skipReason}\n`);
      return;
    }
    await clusterDown(layout, log);
    throw err;
  }
  log(`up in ${state.startedInSeconds} s`);
  cluster = { layout, state, lrs: await createLrsCredential(state) };
}

export async function stopTestCluster(): Promise<void> {
  if (cluster) await clusterDown(cluster.layout, () => {});
  cluster = undefined;
}

/** The running cluster; skips the calling test (with the reason) when there is none. */
export function testCluster(context: Mocha.Context): TestCluster {
  if (!cluster) {
    if (skipReason) {
      process.stdout.write(`  ${skipReason}\n`);
      context.skip();
    }
    throw new Error('the cluster did not start; see the setup output above');
  }
  return cluster;
}

/** A tenant and an LRS credential made the way an operator makes them: `npx yardstick ...`. */
async function createLrsCredential(state: ClusterState): Promise<TestCluster['lrs']> {
  const env = { ...process.env, ...state.cliEnv };
  const cli = async (args: string[]) => {
    const r = await runProcess(['bin/yardstick.js', '--json', ...args], env);
    if (r.code !== 0) throw new Error(`yardstick ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, string>;
  };
  const tenantName = `cluster-${process.pid}`;
  const tenant = await cli(['tenant', 'create', tenantName]);
  const created = await cli(['lrs-credentials', 'create', '--tenant', tenantName]);
  return {
    tenantId: tenant.id!,
    tenantName,
    auth: `Basic ${Buffer.from(`${created.key}:${created.secret}`).toString('base64')}`,
  };
}
