import { readFileSync } from 'node:fs';
import path from 'node:path';
import { patroniMembers } from '../../../deploy/cluster/cluster-up.js';
import type { TestCluster } from './test-cluster.js';

/** The running leader's name, if Patroni has one. */
export async function leaderName(cluster: TestCluster): Promise<string | undefined> {
  const members = await patroniMembers(cluster.state.urls);
  return members?.find((m) => m.role === 'leader' && m.state === 'running')?.name;
}

/** A node's role and state, as Patroni reports them. */
export async function memberOf(
  cluster: TestCluster,
  name: string,
): Promise<{ role: string; state: string } | undefined> {
  return (await patroniMembers(cluster.state.urls))?.find((m) => m.name === name);
}

/** The postmaster pid of a node, from the first line of its data directory's postmaster.pid. */
export function postmasterPidOf(cluster: TestCluster, node: string): number {
  const file = path.join(cluster.layout.dir, node, 'data', 'postmaster.pid');
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}
