import assert from 'node:assert/strict';
import { testCluster } from './support/test-cluster.js';
import { startStatementLoad, statementPresence, summaryLine } from './support/statement-load.js';
import { leaderName, memberOf, postmasterPidOf } from './support/patroni.js';
import { waitFor, sleep } from '../../deploy/cluster/processes.js';

describe('cluster failover', function () {
  this.timeout(240000);

  it('keeps every acknowledged statement when the leader PostgreSQL is killed, answering 503 in the gap', async function () {
    const cluster = testCluster(this);
    const { urls } = cluster.state;
    const oldLeader = await waitFor('a leader', () => leaderName(cluster), 30000);
    const load = startStatementLoad({
      targets: [urls.apps.app1, urls.apps.app2],
      auth: cluster.lrs.auth,
      clients: 4,
    });
    await waitFor(
      '50 acknowledged statements',
      async () => (load.acknowledgedCount() >= 50 ? true : undefined),
      30000,
    );

    process.kill(postmasterPidOf(cluster, oldLeader), 'SIGKILL');
    const newLeader = await waitFor(
      'Patroni to promote the replica',
      async () => {
        const name = await leaderName(cluster);
        return name && name !== oldLeader ? name : undefined;
      },
      90000,
    );
    // Writes must resume on the new leader without restarting the app servers.
    const before = load.acknowledgedCount();
    await waitFor(
      '100 statements acknowledged after the promotion',
      async () => (load.acknowledgedCount() >= before + 100 ? true : undefined),
      60000,
    );
    const result = await load.stop();

    const presence = await statementPresence(urls.migration, cluster.lrs.tenantId, result.acknowledged);
    process.stdout.write(
      `      answers: ${JSON.stringify(result.outcomes)}; leader ${oldLeader} -> ${newLeader}\n`,
    );
    process.stdout.write(
      `${summaryLine('failover', result.acknowledged.length, presence, result.gapSeconds)}\n`,
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

    // Patroni rewinds the old leader and it follows the new one.
    await waitFor(
      `${oldLeader} to rejoin as a replica`,
      async () => {
        const m = await memberOf(cluster, oldLeader);
        return m && m.role !== 'leader' && ['running', 'streaming'].includes(m.state) ? true : undefined;
      },
      120000,
      1000,
    );
    await sleep(0);
  });
});
