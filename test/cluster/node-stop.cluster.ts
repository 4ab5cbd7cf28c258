import assert from 'node:assert/strict';
import { testCluster } from './support/test-cluster.js';
import { startStatementLoad, statementPresence, summaryLine } from './support/statement-load.js';
import { leaderName, memberOf, syncStandbyName } from './support/patroni.js';
import { startPatroniNode } from '../../deploy/cluster/cluster-up.js';
import { NODES } from '../../deploy/cluster/layout.js';
import { stopProcess, waitFor } from '../../deploy/cluster/processes.js';

describe('cluster leader node stop', function () {
  this.timeout(240000);

  it('keeps every acknowledged statement when the leader node (its Patroni) stops, and the node rejoins as a replica', async function () {
    const cluster = testCluster(this);
    const { layout, state } = cluster;
    const { urls } = state;
    const oldLeader = (await waitFor('a leader', () => leaderName(cluster), 30000)) as (typeof NODES)[number];
    // After the failover scenario the old leader rejoins as a replica before it is the sync standby.
    await waitFor('a synchronous standby', () => syncStandbyName(cluster), 120000, 1000);
    const load = startStatementLoad({
      targets: [urls.apps.app1, urls.apps.app2],
      auth: cluster.lrs.auth,
      clients: 4,
    });
    const acknowledged = (n: number) => async () => (load.acknowledgedCount() >= n ? true : undefined);
    let result: Awaited<ReturnType<typeof load.stop>>;
    let newLeader: string;
    try {
      await waitFor('50 acknowledged statements', acknowledged(50), 30000);
      // The whole node: Patroni stops its PostgreSQL and gives up the leader key.
      await stopProcess(layout, `patroni-${oldLeader}`, 30000);
      newLeader = await waitFor(
        'Patroni to promote the replica',
        async () => {
          const name = await leaderName(cluster);
          return name && name !== oldLeader ? name : undefined;
        },
        90000,
      );
      // Writes resume on the new leader without restarting the app servers.
      await waitFor(
        '100 statements acknowledged after the promotion',
        acknowledged(load.acknowledgedCount() + 100),
        60000,
      );
    } finally {
      result = await load.stop();
    }

    const presence = await statementPresence(urls.migration, cluster.lrs.tenantId, result.acknowledged);
    process.stdout.write(
      `      answers: ${JSON.stringify(result.outcomes)}; leader ${oldLeader} -> ${newLeader}\n`,
    );
    process.stdout.write(
      `${summaryLine('node-stop', result.acknowledged.length, presence, result.gapSeconds)}\n`,
    );
    assert.equal(presence.lost, 0, 'every acknowledged statement is stored');
    assert.equal(presence.duplicated, 0);
    const unexpected = Object.keys(result.outcomes).filter((s) => !['200', '204', '503'].includes(s));
    assert.deepEqual(
      unexpected,
      [],
      'no answer but 200, 204 and 503 (no 500, no hang, no dropped connection)',
    );
    assert.equal(result.unavailableWithoutRetryAfter, 0, 'every 503 says when to retry');

    // Started again, the old leader follows the new one.
    startPatroniNode(layout, oldLeader);
    await waitFor(
      `${oldLeader} to rejoin as a replica`,
      async () => {
        const m = await memberOf(cluster, oldLeader);
        return m && m.role !== 'leader' && ['running', 'streaming'].includes(m.state) ? true : undefined;
      },
      120000,
      1000,
    );
  });
});
