import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The environment for a child Yardstick process: ours minus anything that would redirect its database. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  // JSON log lines: the tests read the port and messages from them (development logs are pretty).
  return { ...env, LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...extra };
}

export interface RunningServer {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal) once the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start`'s entry run directly by node, without npm in between. */
const SERVER_ENTRY = [process.execPath, '--import', 'tsx', 'src/server.ts'];

/**
 * Starts the server (by default `npm start`'s entry, src/server.ts, under node; `command` can name
 * another way in, such as `['npm', 'start']`) and resolves once it logs the port it listens on.
 */
export function startServerProcess(
  env: NodeJS.ProcessEnv,
  timeoutMs = 30000,
  command: string[] = SERVER_ENTRY,
): Promise<RunningServer> {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, { cwd: repoRoot, env });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // A server that never listened must not outlive the test (its handles would keep the run open).
      child.kill('SIGTERM');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"port":(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        const port = Number(match[1]);
        resolve({ child, port, url: `http://127.0.0.1:${port}`, output: () => out, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
}

/** Runs a command to completion, collecting stdout and stderr. */
export function runProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    // 'close', not 'exit': the process can exit before its piped output has been read, and then the
    // last lines (the whole JSON document of a short command) would be missing.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** PIDs of postgres processes serving `dataDir`. */
export async function postgresProcessesFor(dataDir: string): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    if (args[0]?.endsWith('postgres') && args.includes(dataDir)) pids.push(Number(entry));
  }
  return pids;
}

/** The postmaster's PID of an embedded server, from the first line of its data directory's postmaster.pid. */
export async function postmasterPid(dataDir: string): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  return Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

export interface ProcessInfo {
  pid: number;
  /** The program's path or name: argv[0]. */
  program: string;
}

/** Every process below `pid` (children, their children, ...), read from /proc. */
export async function descendantsOf(pid: number): Promise<ProcessInfo[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const parents = new Map<number, number[]>();
  const programs = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    // The command name in field 2 is in parentheses and may contain spaces; ppid follows the state.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!stat || !Number.isInteger(ppid)) continue;
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    programs.set(Number(entry), cmdline.split('\0')[0] ?? '');
  }
  const found: ProcessInfo[] = [];
  const queue = [...(parents.get(pid) ?? [])];
  while (queue.length) {
    const child = queue.shift()!;
    found.push({ pid: child, program: programs.get(child) ?? '' });
    queue.push(...(parents.get(child) ?? []));
  }
  return found;
}

/** Those of `processes` that still run the same program (a PID reused by another program is not counted). */
export async function stillRunning(processes: ProcessInfo[]): Promise<ProcessInfo[]> {
  const { readFile } = await import('node:fs/promises');
  const alive: ProcessInfo[] = [];
  for (const p of processes) {
    const cmdline = await readFile(`/proc/${p.pid}/cmdline`, 'utf8').catch(() => null);
    // A zombie (exited, not yet reaped) has an empty cmdline: it runs nothing any more.
    if (cmdline && cmdline.split('\0')[0] === p.program) alive.push(p);
  }
  return alive;
}
