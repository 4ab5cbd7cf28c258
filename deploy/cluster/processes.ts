import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import path from 'node:path';
import type { ClusterLayout } from './layout.js';

/** The user the database-side processes run as (PostgreSQL refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/**
 * Starts `command` detached in its own process group, output to logs/<name>.log, and records its pid
 * in run/<name>.pid so `down` can stop exactly what `up` started.
 */
export function startProcess(
  layout: ClusterLayout,
  name: string,
  command: string[],
  options: { env?: NodeJS.ProcessEnv; runAs?: RunAs; cwd?: string } = {},
): number {
  const log = openSync(path.join(layout.logDir, `${name}.log`), 'a');
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, {
    cwd: options.cwd ?? layout.dir,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', log, log],
    uid: options.runAs?.uid,
    gid: options.runAs?.gid,
  });
  closeSync(log);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${name} (${file}); see ${layout.logDir}/${name}.log`);
  writeFileSync(pidFile(layout, name), String(child.pid));
  return child.pid;
}

function pidFile(layout: ClusterLayout, name: string): string {
  return path.join(layout.runDir, `${name}.pid`);
}

/** The recorded pid of `name` if that process still runs. */
export function runningPid(layout: ClusterLayout, name: string): number | undefined {
  const file = pidFile(layout, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its parent) runs nothing any more.
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

function readStat(pid: number): { state: string; pgid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/**
 * Stops `name`: SIGTERM to its process group, then SIGKILL after `graceMs`. Resolves once no process
 * of the group is left, and forgets the pid.
 */
export async function stopProcess(layout: ClusterLayout, name: string, graceMs = 15000): Promise<void> {
  const pid = runningPid(layout, name);
  if (pid !== undefined) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupMembers(pid).length > 0 && Date.now() < deadline) await sleep(100);
    if (groupMembers(pid).length > 0) signalGroup(pid, 'SIGKILL');
    while (groupMembers(pid).length > 0) await sleep(100);
  }
  rmSync(pidFile(layout, name), { force: true });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group has already gone
  }
}

/** Live processes whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
  return allPids().filter((pid) => {
    const stat = readStat(pid);
    return stat && stat.pgid === pgid && stat.state !== 'Z';
  });
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/**
 * Processes whose command line names a path inside `dir`: what may outlive its parent (a postmaster
 * that Patroni started in a session of its own).
 */
export function processesUnder(dir: string): number[] {
  return allPids().filter((pid) => {
    if (pid === process.pid) return false;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args.some((a) => a === dir || a.startsWith(`${dir}/`)) && isAlive(pid);
    } catch {
      return false;
    }
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by a `waitFor` check when waiting longer cannot help (the process it waits for exited). */
export class StopWaiting extends Error {}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; then throws `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch((err: unknown) => {
      if (err instanceof StopWaiting) throw err;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** GET `url`; the status, or undefined when nothing answers. */
export async function httpStatus(url: string, timeoutMs = 2000): Promise<number | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}
