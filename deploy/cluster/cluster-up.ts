import { chownSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  APPS,
  NODES,
  clusterSecrets,
  clusterUrls,
  type ClusterLayout,
  type ClusterSecrets,
  type ClusterUrls,
} from './layout.js';
import { haproxyConfig, patroniConfig, pgbouncerConfig, pgbouncerUserlist } from './config-files.js';
import { ensurePackages } from './packages.js';
import { setupDatabase } from './database-setup.js';
import { StopWaiting, httpStatus, runningPid, startProcess, waitFor, type RunAs } from './processes.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** What `up` writes to cluster.json: the URLs tests and operators use, and the app servers' env. */
export interface ClusterState {
  dir: string;
  urls: ClusterUrls;
  appEnv: Record<(typeof APPS)[number], Record<string, string>>;
  /** Environment for `npx yardstick ...` against the cluster (owner connection, runs no migration twice). */
  cliEnv: Record<string, string>;
  startedInSeconds: number;
}

/**
 * Starts etcd, two Patroni nodes, HAProxy, PgBouncer and two app servers, waiting for each to answer.
 * Resolves with the cluster's state; a component already running is left as it is.
 */
export async function clusterUp(
  layout: ClusterLayout,
  log: (line: string) => void,
  options: { appEnv?: Record<string, string> } = {},
): Promise<ClusterState> {
  const started = Date.now();
  ensurePackages(log);
  for (const dir of [layout.dir, layout.runDir, layout.logDir, path.join(layout.dir, 'pgbouncer')])
    mkdirSync(dir, { recursive: true });
  for (const node of NODES) mkdirSync(path.join(layout.dir, node, 'log'), { recursive: true });
  const secrets = clusterSecrets(layout);
  const urls = clusterUrls(layout, secrets);
  const runAs = databaseUser();
  writeConfigs(layout, secrets);
  if (runAs) chownTree(layout.dir, runAs);

  const start = (name: string, command: string[], options: Parameters<typeof startProcess>[3] = {}) => {
    if (runningPid(layout, name)) return log(`${name} is already running`);
    startProcess(layout, name, command, options);
    log(`started ${name}`);
  };
  const { ports } = layout;
  const etcdDir = path.join(layout.dir, 'etcd');
  start(
    'etcd',
    [
      '/usr/bin/etcd',
      '--name=etcd1',
      `--data-dir=${etcdDir}`,
      `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=etcd1=http://127.0.0.1:${ports.etcdPeer}`,
      '--log-level=warn',
    ],
    { runAs },
  );
  start('haproxy', ['/usr/sbin/haproxy', '-W', '-db', '-f', path.join(layout.dir, 'haproxy.cfg')], {
    runAs,
  });
  await waitFor(
    'etcd',
    async () =>
      (await httpStatus(`http://127.0.0.1:${ports.etcdClient}/health`)) === 200 ? true : undefined,
    20000,
  );
  // Both nodes at once: one wins the initialize key and runs initdb, the other clones it.
  for (const node of NODES) {
    if (runningPid(layout, `patroni-${node}`)) log(`patroni-${node} is already running`);
    else {
      startPatroniProcess(layout, node, runAs);
      log(`started patroni-${node}`);
    }
  }
  start('pgbouncer', ['/usr/sbin/pgbouncer', path.join(layout.dir, 'pgbouncer', 'pgbouncer.ini')], {
    runAs,
  });
  const leader = await waitFor('a Patroni leader', () => patroniLeader(urls), 60000);
  log(`PostgreSQL leader: ${leader}`);
  await waitFor('PostgreSQL through the HAProxy write port', () => probe(urls.superuser), 20000);
  await setupDatabase(layout, secrets, urls);
  await waitFor(
    'a streaming synchronous replica',
    async () => ((await syncStandby(urls)) ? true : undefined),
    60000,
  );

  const appEnv = Object.fromEntries(
    APPS.map((app) => [app, { ...appEnvironment(layout, secrets, urls, app), ...options.appEnv }]),
  ) as ClusterState['appEnv'];
  for (const app of APPS) {
    if (runningPid(layout, app)) log(`${app} is already running`);
    else {
      startAppProcess(layout, app, appEnv[app]);
      log(`started ${app}`);
    }
  }
  for (const app of APPS) await waitForApp(layout, app, urls.apps[app]);
  await waitFor(
    'the app front end',
    async () => ((await httpStatus(`${urls.front}/readyz`)) === 200 ? true : undefined),
    10000,
  );

  const state: ClusterState = {
    dir: layout.dir,
    urls,
    appEnv,
    cliEnv: {
      NODE_ENV: 'production',
      DATABASE_URL: urls.migration,
      LTI_KEY: secrets.ltiKey,
      PUBLIC_URL: urls.front,
      LOG_LEVEL: 'warn',
    },
    startedInSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  writeFileSync(path.join(layout.dir, 'cluster.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}

function startPatroniProcess(layout: ClusterLayout, node: (typeof NODES)[number], runAs?: RunAs): void {
  startProcess(layout, `patroni-${node}`, ['/usr/bin/patroni', path.join(layout.dir, node, 'patroni.yml')], {
    runAs,
    env: { ...process.env, HOME: layout.dir },
  });
}

/**
 * Starts a stopped PostgreSQL node (its Patroni) of a running cluster again; Patroni rejoins it to the
 * cluster, rewinding it when it was the leader before. Does not wait.
 */
export function startPatroniNode(layout: ClusterLayout, node: (typeof NODES)[number]): void {
  startPatroniProcess(layout, node, databaseUser());
}

/** Starts one app server (`node src/server.ts`) with its environment, without waiting for it. */
function startAppProcess(
  layout: ClusterLayout,
  app: (typeof APPS)[number],
  env: Record<string, string>,
): void {
  startProcess(layout, app, [process.execPath, '--import', 'tsx', 'src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
  });
}

/**
 * Starts a stopped app server of a running cluster again (a rolling restart's second half) and
 * resolves once its /readyz answers 200.
 */
export async function startAppServer(state: ClusterState, layout: ClusterLayout, app: (typeof APPS)[number]) {
  startAppProcess(layout, app, state.appEnv[app]);
  await waitForApp(layout, app, state.urls.apps[app]);
}

/** Waits for an app server's /readyz; fails at once, with its last log lines, if it exits. */
async function waitForApp(layout: ClusterLayout, app: string, url: string): Promise<void> {
  await waitFor(
    `${app} (/readyz)`,
    async () => {
      if (!runningPid(layout, app)) {
        const tail = readFileSync(path.join(layout.logDir, `${app}.log`), 'utf8').slice(-2000);
        throw new StopWaiting(`${app} exited before it was ready:\n${tail}`);
      }
      return (await httpStatus(`${url}/readyz`)) === 200 ? true : undefined;
    },
    90000,
  );
}

function writeConfigs(layout: ClusterLayout, secrets: ClusterSecrets): void {
  for (const node of NODES)
    writeFileSync(path.join(layout.dir, node, 'patroni.yml'), patroniConfig(layout, secrets, node), {
      mode: 0o600,
    });
  writeFileSync(path.join(layout.dir, 'haproxy.cfg'), haproxyConfig(layout));
  writeFileSync(path.join(layout.dir, 'pgbouncer', 'pgbouncer.ini'), pgbouncerConfig(layout));
  writeFileSync(path.join(layout.dir, 'pgbouncer', 'userlist.txt'), pgbouncerUserlist(secrets), {
    mode: 0o600,
  });
}

/** The app server's environment: production settings, the cluster's URLs and shared secrets. */
function appEnvironment(
  layout: ClusterLayout,
  secrets: ClusterSecrets,
  urls: ClusterUrls,
  app: (typeof APPS)[number],
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(layout.ports.app[app]),
    PUBLIC_URL: urls.front,
    DATABASE_URL: urls.runtime,
    DATABASE_MIGRATION_URL: urls.migration,
    DATABASE_REPLICA_URL: urls.replica,
    LTI_KEY: secrets.ltiKey,
    // Every server must verify the others' `more` cursors and LTI cookies.
    XAPI_CURSOR_SECRET: secrets.cursorSecret,
    YARDSTICK_ADMIN_TOKEN: secrets.adminToken,
    LTI_DEV_LMS: 'false',
    // A stopping server fails /readyz for 3 s first: HAProxy (inter 1s, fall 2) takes it out before
    // the listener closes, so a rolling restart drops no request.
    SHUTDOWN_DELAY_MS: '3000',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    // Two cores for the whole cluster: one chart thread per server.
    REPORTS_CHART_THREADS: '1',
  };
}

/** PostgreSQL refuses to run as root: the database side runs as Debian's postgres user then. */
function databaseUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g'), name: 'postgres' };
}

function chownTree(dir: string, user: RunAs): void {
  chownSync(dir, user.uid, user.gid);
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    // The data directories are the postgres user's already; do not walk them.
    if (entry === 'data') continue;
    chownSync(full, user.uid, user.gid);
    if (statSync(full).isDirectory()) chownTree(full, user);
  }
}

interface PatroniMember {
  name: string;
  role: string;
  state: string;
  lag?: number | string;
}

/** The cluster's members as Patroni's REST API lists them, from whichever node answers. */
export async function patroniMembers(urls: ClusterUrls): Promise<PatroniMember[] | undefined> {
  for (const url of Object.values(urls.patroni)) {
    try {
      const res = await fetch(`${url}/cluster`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return ((await res.json()) as { members: PatroniMember[] }).members;
    } catch {
      // try the other node
    }
  }
  return undefined;
}

async function patroniLeader(urls: ClusterUrls): Promise<string | undefined> {
  const members = await patroniMembers(urls);
  return members?.find((m) => m.role === 'leader' && m.state === 'running')?.name;
}

async function syncStandby(urls: ClusterUrls): Promise<string | undefined> {
  const members = await patroniMembers(urls);
  return members?.find((m) => m.role === 'sync_standby' && ['running', 'streaming'].includes(m.state))?.name;
}

async function probe(url: string): Promise<true | undefined> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}
