import path from 'node:path';
import { NODES, PG_BIN, type ClusterLayout, type ClusterSecrets } from './layout.js';

/**
 * Patroni's configuration of one node, as JSON (a YAML subset, so Patroni reads it as is).
 *
 * Timings favour a fast failover on one machine: loop_wait 2 s and retry_timeout 4 s within ttl 10 s
 * (Patroni requires loop_wait + 2 * retry_timeout <= ttl). primary_start_timeout 0 fails over at once
 * when the leader's PostgreSQL crashes, instead of restarting it in place for up to 5 minutes.
 * synchronous_mode: a commit is acknowledged only once the synchronous standby has it, so a promoted
 * replica has every acknowledged transaction.
 */
export function patroniConfig(
  layout: ClusterLayout,
  secrets: ClusterSecrets,
  node: (typeof NODES)[number],
): string {
  const nodeDir = path.join(layout.dir, node);
  const pgPort = layout.ports.postgres[node];
  const restPort = layout.ports.patroniRest[node];
  const config = {
    scope: 'yardstick',
    namespace: `/yardstick-${layout.ports.etcdClient}/`,
    name: node,
    log: { level: 'INFO', dir: path.join(nodeDir, 'log') },
    restapi: { listen: `127.0.0.1:${restPort}`, connect_address: `127.0.0.1:${restPort}` },
    etcd3: { hosts: [`127.0.0.1:${layout.ports.etcdClient}`] },
    bootstrap: {
      dcs: {
        ttl: 10,
        loop_wait: 2,
        retry_timeout: 4,
        maximum_lag_on_failover: 1048576,
        primary_start_timeout: 0,
        synchronous_mode: true,
        postgresql: {
          use_pg_rewind: true,
          use_slots: true,
          parameters: {
            max_connections: 100,
            shared_buffers: '64MB',
            wal_level: 'replica',
            hot_standby: 'on',
            wal_log_hints: 'on',
            max_wal_senders: 5,
            max_replication_slots: 5,
            wal_keep_size: '128MB',
            // Lets reports on the replica finish while the primary vacuums what they read.
            hot_standby_feedback: 'on',
          },
        },
      },
      initdb: [{ encoding: 'UTF8' }, { locale: 'C.UTF-8' }, 'data-checksums'],
    },
    postgresql: {
      listen: `127.0.0.1:${pgPort}`,
      connect_address: `127.0.0.1:${pgPort}`,
      data_dir: path.join(nodeDir, 'data'),
      bin_dir: PG_BIN,
      pgpass: path.join(nodeDir, 'pgpass'),
      authentication: {
        superuser: { username: 'postgres', password: secrets.superuser },
        replication: { username: 'replicator', password: secrets.replication },
        rewind: { username: 'postgres', password: secrets.superuser },
      },
      parameters: { unix_socket_directories: nodeDir },
      pg_hba: [
        'local all all trust',
        'host replication replicator 127.0.0.1/32 scram-sha-256',
        'host all all 127.0.0.1/32 scram-sha-256',
      ],
    },
    tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
  };
  return JSON.stringify(config, null, 2);
}

/**
 * HAProxy: the write port goes to whichever node answers Patroni's GET /primary with 200, the read
 * port to the one answering GET /replica, and the app port round-robins over the app servers that
 * answer GET /readyz. A PostgreSQL node marked down has its sessions cut, so pooled connections to a
 * demoted leader end instead of lingering; an app server marked down (draining before it stops, see
 * SHUTDOWN_DELAY_MS) keeps its requests in flight, which it finishes.
 */
export function haproxyConfig(layout: ClusterLayout): string {
  const { ports } = layout;
  const pgServers = NODES.map(
    (n) => `  server ${n} 127.0.0.1:${ports.postgres[n]} check port ${ports.patroniRest[n]}`,
  ).join('\n');
  return `global
  maxconn 1000

defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 2s
  default-server inter 1s fall 2 rise 1

listen stats
  mode http
  bind 127.0.0.1:${ports.haproxyStats}
  stats enable
  stats uri /

listen postgres_write
  bind 127.0.0.1:${ports.haproxyWrite}
  option httpchk GET /primary
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
  http-check expect status 200
${pgServers}

listen postgres_read
  bind 127.0.0.1:${ports.haproxyRead}
  option httpchk GET /replica
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
  http-check expect status 200
${pgServers}

listen yardstick_app
  mode http
  bind 127.0.0.1:${ports.haproxyApp}
  timeout client 60s
  timeout server 60s
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  option forwardfor
  option redispatch
  retries 2
${Object.entries(ports.app)
  .map(([name, port]) => `  server ${name} 127.0.0.1:${port} check`)
  .join('\n')}
`;
}

/**
 * PgBouncer in transaction mode in front of HAProxy's write port. The pg driver's startup parameters
 * statement_timeout and options (work_mem) cannot be kept per client in transaction pooling, so they
 * are ignored here and set on the role instead (ALTER ROLE ... SET, see setupDatabase).
 */
export function pgbouncerConfig(layout: ClusterLayout): string {
  const dir = path.join(layout.dir, 'pgbouncer');
  return `[databases]
${layout.database} = host=127.0.0.1 port=${layout.ports.haproxyWrite} dbname=${layout.database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${layout.ports.pgbouncer}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${path.join(dir, 'userlist.txt')}
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options,statement_timeout
server_connect_timeout = 2
server_login_retry = 1
query_wait_timeout = 15
server_check_delay = 1
`;
}

/** PgBouncer's user list: plain passwords, so it can answer and make SCRAM logins itself. */
export function pgbouncerUserlist(secrets: ClusterSecrets): string {
  return `"yardstick_app" "${secrets.app}"\n`;
}
