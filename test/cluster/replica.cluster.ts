import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testCluster } from './support/test-cluster.js';
import { clusterStatement, postStatement, summaryLine } from './support/statement-load.js';
import { openDatabase } from '../../src/storage/database.js';
import { openReportDatabase, type ReportDatabase } from '../../src/storage/report-database.js';
import { waitFor } from '../../deploy/cluster/processes.js';
import { replicaName, startupProcessOf } from './support/patroni.js';

const MAX_LAG_SECONDS = 2;

describe('cluster reporting replica', function () {
  it('reads reports from the replica, falls back to the primary while the replica lags, and says so', async function () {
    const cluster = testCluster(this);
    const { urls } = cluster.state;
    const ids: string[] = [];
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const statement = clusterStatement(i);
        assert.equal((await postStatement(urls.apps.app1, cluster.lrs.auth, statement)).status, 200);
        ids.push(statement.id as string);
      }
    };
    await write(30);

    // The app servers' own report connection: DATABASE_REPLICA_URL (HAProxy's read port) with the
    // runtime role, and the primary through PgBouncer.
    const primary = openDatabase(urls.runtime, { poolSize: 2, statementTimeoutMs: 0 });
    const reports = openReportDatabase(urls.replica, primary, {
      poolSize: 2,
      statementTimeoutMs: 0,
      maxLagSeconds: MAX_LAG_SECONDS,
      checkIntervalMs: 500,
    });
    const replica = await waitFor('a running replica', () => replicaName(cluster), 30000);
    const replay = startupProcessOf(cluster, replica);
    try {
      const onReplica = await waitFor(
        'reports on the replica',
        async () => {
          const s = await reports.check();
          return s.source === 'replica' ? s : undefined;
        },
        20000,
      );
      assert.ok(onReplica.replicaLagSeconds !== null && onReplica.replicaLagSeconds <= MAX_LAG_SECONDS);
      assert.equal(await readServer(reports), 'replica');
      assert.equal(await countPresent(reports, cluster.lrs.tenantId, ids), ids.length);

      // Replay stopped: the replica falls behind what the primary acknowledges.
      process.kill(replay, 'SIGSTOP');
      await write(5);
      const fallback = await waitFor(
        'the fallback to the primary',
        async () => {
          const s = await reports.check();
          return s.source === 'primary' ? s : undefined;
        },
        20000,
      );
      process.stdout.write(`      while replay is stopped: ${fallback.fallbackReason}\n`);
      assert.match(fallback.fallbackReason ?? '', /behind/);
      assert.equal(await readServer(reports), 'primary');
      const present = await countPresent(reports, cluster.lrs.tenantId, ids);

      process.kill(replay, 'SIGCONT');
      await waitFor(
        'reports back on the replica',
        async () => ((await reports.check()).source === 'replica' ? true : undefined),
        20000,
      );
      assert.equal(
        await countPresent(reports, cluster.lrs.tenantId, ids),
        ids.length,
        'the replica caught up',
      );

      const line = summaryLine(
        'replica',
        ids.length,
        { present, duplicated: 0, lost: ids.length - present },
        0,
      );
      process.stdout.write(`${line}\n`);
      assert.equal(present, ids.length, 'the fallback reads everything acknowledged');
    } finally {
      process.kill(replay, 'SIGCONT');
      await reports.close();
      await primary.close();
    }
  });
});

/** 'replica' or 'primary': which server a report query lands on. */
async function readServer(reports: ReportDatabase): Promise<string> {
  const { rows } = await sql<{ r: boolean }>`SELECT pg_is_in_recovery() AS r`.execute(reports.db);
  return rows[0]!.r ? 'replica' : 'primary';
}

async function countPresent(reports: ReportDatabase, tenantId: string, ids: string[]): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(DISTINCT id) AS n FROM xapi_statement WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::uuid[])`.execute(
    reports.db,
  );
  return Number(rows[0]!.n);
}
