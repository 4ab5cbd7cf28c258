import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

/** PostgreSQL 15's programs (Debian's postgresql-15). */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** The two Patroni-managed PostgreSQL nodes and the two app servers. */
export const NODES = ['node1', 'node2'] as const;
export const APPS = ['app1', 'app2'] as const;

export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  postgres: Record<(typeof NODES)[number], number>;
  patroniRest: Record<(typeof NODES)[number], number>;
  haproxyWrite: number;
  haproxyRead: number;
  haproxyApp: number;
  haproxyStats: number;
  pgbouncer: number;
  app: Record<(typeof APPS)[number], number>;
}

/** Passwords and keys generated once per cluster folder (secrets.json, mode 600), never committed. */
export interface ClusterSecrets {
  superuser: string;
  replication: string;
  owner: string;
  app: string;
  ltiKey: string;
  cursorSecret: string;
  adminToken: string;
}

export interface ClusterLayout {
  dir: string;
  ports: ClusterPorts;
  /** Where processes write their pid (one file per process) and logs. */
  runDir: string;
  logDir: string;
  database: string;
}

/**
 * The cluster's folder and loopback ports. YARDSTICK_CLUSTER_DIR (default /tmp/yardstick-cluster)
 * and YARDSTICK_CLUSTER_PORT_BASE (default 25400; the cluster uses the 60 ports from there) let two
 * clusters live on one machine.
 */
export function clusterLayout(env: NodeJS.ProcessEnv = process.env): ClusterLayout {
  const dir = path.resolve(env.YARDSTICK_CLUSTER_DIR || path.join(os.tmpdir(), 'yardstick-cluster'));
  const base = Number(env.YARDSTICK_CLUSTER_PORT_BASE || 25400);
  if (!Number.isInteger(base) || base < 1024 || base > 65000)
    throw new Error(
      `YARDSTICK_CLUSTER_PORT_BASE="${env.YARDSTICK_CLUSTER_PORT_BASE}" is not a port between 1024 and 65000; unset it or pick a free range.`,
    );
  return {
    dir,
    runDir: path.join(dir, 'run'),
    logDir: path.join(dir, 'logs'),
    database: 'yardstick',
    ports: {
      etcdClient: base,
      etcdPeer: base + 1,
      postgres: { node1: base + 10, node2: base + 11 },
      patroniRest: { node1: base + 20, node2: base + 21 },
      haproxyWrite: base + 30,
      haproxyRead: base + 31,
      haproxyApp: base + 32,
      haproxyStats: base + 33,
      pgbouncer: base + 40,
      app: { app1: base + 50, app2: base + 51 },
    },
  };
}

/** Reads the cluster's secrets, generating them on first use. */
export function clusterSecrets(layout: ClusterLayout): ClusterSecrets {
  const file = path.join(layout.dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ClusterSecrets;
  const random = () => randomBytes(24).toString('base64url');
  const secrets: ClusterSecrets = {
    superuser: random(),
    replication: random(),
    owner: random(),
    app: random(),
    ltiKey: random() + random(),
    cursorSecret: random() + random(),
    adminToken: random() + random(),
  };
  mkdirSync(layout.dir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Connection URLs of the cluster's front doors, as the app servers and the CLI use them. */
export function clusterUrls(layout: ClusterLayout, secrets: ClusterSecrets) {
  const { ports, database } = layout;
  const pw = encodeURIComponent;
  return {
    /** The app's runtime role through PgBouncer (transaction pooling) to the leader. */
    runtime: `postgres://yardstick_app:${pw(secrets.app)}@127.0.0.1:${ports.pgbouncer}/${database}`,
    /** The owner straight to the leader (HAProxy write port): migrations and grants. */
    migration: `postgres://yardstick_owner:${pw(secrets.owner)}@127.0.0.1:${ports.haproxyWrite}/${database}`,
    /** The runtime role on the replica (HAProxy read port): KPI reports. */
    replica: `postgres://yardstick_app:${pw(secrets.app)}@127.0.0.1:${ports.haproxyRead}/${database}`,
    /** The superuser on the leader, for setting up roles. */
    superuser: `postgres://postgres:${pw(secrets.superuser)}@127.0.0.1:${ports.haproxyWrite}/postgres`,
    /** The app servers' HAProxy front end. */
    front: `http://127.0.0.1:${ports.haproxyApp}`,
    apps: Object.fromEntries(
      Object.entries(ports.app).map(([name, port]) => [name, `http://127.0.0.1:${port}`]),
    ) as Record<(typeof APPS)[number], string>,
    patroni: Object.fromEntries(
      Object.entries(ports.patroniRest).map(([name, port]) => [name, `http://127.0.0.1:${port}`]),
    ) as Record<(typeof NODES)[number], string>,
  };
}

export type ClusterUrls = ReturnType<typeof clusterUrls>;
