import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testCluster } from './support/test-cluster.js';
import { startStatementLoad, statementPresence, summaryLine } from './support/statement-load.js';
import { startAppServer } from '../../deploy/cluster/cluster-up.js';
import { APPS } from '../../deploy/cluster/layout.js';
import { stopProcess, waitFor } from '../../deploy/cluster/processes.js';

describe('cluster rolling restart', function () {
  this.timeout(180000);

  it('restarts each app server in turn (SIGTERM, start) under traffic through the front end, losing no acknowledged statement', async function () {
    const cluster = testCluster(this);
    const { layout, state } = cluster;
    const load = startStatementLoad({ targets: [state.urls.front], auth: cluster.lrs.auth, clients: 4 });
    const acknowledged = (n: number) => async () => (load.acknowledgedCount() >= n ? true : undefined);
    const events: string[] = [];
    let result: Awaited<ReturnType<typeof load.stop>>;
    try {
      await waitFor('30 acknowledged statements', acknowledged(30), 30000);
      for (const app of APPS) {
        events.push(`${load.elapsedMs()} ms: SIGTERM ${app}`);
        const logFile = path.join(layout.logDir, `${app}.log`);
        const logBefore = readFileSync(logFile, 'utf8').length;
        // SIGTERM; stopProcess waits for the process to end (SIGKILL only after 15 s).
        await stopProcess(layout, app);
        const shutdownLog = readFileSync(logFile, 'utf8').slice(logBefore);
        assert.match(shutdownLog, /"msg":"stopped"/, `${app} drained and closed its pool before exiting`);
        const before = load.acknowledgedCount();
        await waitFor(`statements acknowledged while ${app} is down`, acknowledged(before + 20), 30000);
        events.push(`${load.elapsedMs()} ms: ${app} stopped`);
        await startAppServer(state, layout, app);
        events.push(`${load.elapsedMs()} ms: ${app} ready again`);
      }
      // The front end routes to both again.
      await waitFor('30 more acknowledged statements', acknowledged(load.acknowledgedCount() + 30), 30000);
    } finally {
      result = await load.stop();
    }

    const presence = await statementPresence(state.urls.migration, cluster.lrs.tenantId, result.acknowledged);
    process.stdout.write(`      answers: ${JSON.stringify(result.outcomes)}; ${events.join('; ')}\n`);
    for (const f of result.failures)
      process.stdout.write(`      ${f.atMs} ms: ${f.status}${f.error ? ` (${f.error})` : ''}\n`);
    process.stdout.write(
      `${summaryLine('rolling-restart', result.acknowledged.length, presence, result.gapSeconds)}\n`,
    );
    assert.equal(presence.lost, 0, 'every acknowledged statement is stored');
    assert.equal(presence.duplicated, 0);
    const unexpected = Object.keys(result.outcomes).filter((s) => !['200', '204'].includes(s));
    assert.deepEqual(unexpected, [], 'the front end sent every request to a server that answered it');
  });
});
