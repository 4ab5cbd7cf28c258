import { readFileSync, readdirSync } from 'node:fs';
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

/** The replica's name (the member that is not the leader), if it is running. */
export async function replicaName(cluster: TestCluster): Promise<string | undefined> {
  const members = await patroniMembers(cluster.state.urls);
  return members?.find((m) => m.role !== 'leader' && ['running', 'streaming'].includes(m.state))?.name;
}

/**
 * The pid of a replica's startup process, the one replaying WAL: stopping it (SIGSTOP) makes the
 * replica fall behind while it still receives and flushes WAL, so synchronous commits go on.
 * (pg_wal_replay_pause does not hold: Patroni resumes replay.)
 */
export function startupProcessOf(cluster: TestCluster, node: string): number {
  const postmaster = postmasterPidOf(cluster, node);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === postmaster && cmdline.startsWith('postgres: yardstick: startup')) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no startup (WAL replay) process under ${node}'s postmaster ${postmaster}`);
}

/**
 * The synchronous standby's name, once it streams: with synchronous_mode Patroni promotes only that
 * node, so a scenario that stops the leader waits for one (a rejoined old leader is a plain replica
 * for a while first).
 */
export async function syncStandbyName(cluster: TestCluster): Promise<string | undefined> {
  const members = await patroniMembers(cluster.state.urls);
  return members?.find((m) => m.role === 'sync_standby' && ['running', 'streaming'].includes(m.state))?.name;
}
