// `npm run cluster -- up|down|status`: the reference cluster of docs/deploy.md on loopback ports.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { APPS, NODES, clusterLayout, type ClusterLayout } from './layout.js';
import { clusterUp, patroniMembers, type ClusterState } from './cluster-up.js';
import { httpStatus, isAlive, processesUnder, runningPid, sleep, stopProcess } from './processes.js';
import { PackagesUnavailableError } from './packages.js';

/** Stop order: clients before what they connect to, etcd last (Patroni needs it to stop cleanly). */
const STOP_ORDER = [...APPS, 'pgbouncer', 'haproxy', ...NODES.map((n) => `patroni-${n}`), 'etcd'];

/** Stops every process `up` started and anything still running from the cluster's folder. */
export async function clusterDown(layout: ClusterLayout, log: (line: string) => void): Promise<void> {
  for (const name of STOP_ORDER) {
    if (!runningPid(layout, name)) continue;
    await stopProcess(layout, name);
    log(`stopped ${name}`);
  }
  // A postmaster runs in a session of its own and could outlive a Patroni that was killed.
  const left = processesUnder(layout.dir);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && left.some(isAlive); i++) await sleep(100);
  if (left.length) log(`killed ${left.length} leftover process(es) of ${layout.dir}`);
}

/** One line per component: running or not, Patroni roles, and whether the front doors answer. */
export async function clusterStatus(layout: ClusterLayout): Promise<string[]> {
  const lines = STOP_ORDER.slice()
    .reverse()
    .map((name) => {
      const pid = runningPid(layout, name);
      return `${name.padEnd(16)} ${pid ? `running (pid ${pid})` : 'stopped'}`;
    });
  const state = readState(layout);
  if (!state) return [...lines, 'no cluster.json: run "npm run cluster -- up"'];
  const members = await patroniMembers(state.urls);
  for (const m of members ?? [])
    lines.push(
      `postgres ${m.name.padEnd(7)} ${m.role} (${m.state}${m.lag !== undefined ? `, lag ${m.lag}` : ''})`,
    );
  if (!members) lines.push('Patroni: no node answers');
  for (const [name, url] of [...Object.entries(state.urls.apps), ['front end', state.urls.front]] as const)
    lines.push(`${name.padEnd(16)} ${url} /readyz -> ${(await httpStatus(`${url}/readyz`)) ?? 'no answer'}`);
  return lines;
}

/** cluster.json as `up` wrote it, if there is one. */
export function readState(layout: ClusterLayout): ClusterState | undefined {
  const file = path.join(layout.dir, 'cluster.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterState) : undefined;
}

async function main(command: string | undefined): Promise<number> {
  const layout = clusterLayout();
  const log = (line: string) => process.stdout.write(`cluster: ${line}\n`);
  switch (command) {
    case 'up': {
      try {
        const state = await clusterUp(layout, log);
        log(`up in ${state.startedInSeconds} s, folder ${layout.dir}`);
        log(`app front end ${state.urls.front}; details in ${path.join(layout.dir, 'cluster.json')}`);
        return 0;
      } catch (err) {
        process.stderr.write(`cluster: up failed: ${(err as Error).message}\n`);
        if (!(err instanceof PackagesUnavailableError))
          process.stderr.write(
            `cluster: logs are in ${layout.logDir}; "npm run cluster -- down" stops what started\n`,
          );
        return err instanceof PackagesUnavailableError ? 3 : 1;
      }
    }
    case 'down':
      await clusterDown(layout, log);
      log('down');
      return 0;
    case 'status':
      for (const line of await clusterStatus(layout)) process.stdout.write(`${line}\n`);
      return 0;
    default:
      process.stderr.write('usage: npm run cluster -- up|down|status\n');
      return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename)
  process.exitCode = await main(process.argv[2]);
