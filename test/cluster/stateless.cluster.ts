import assert from 'node:assert/strict';
import { testCluster } from './support/test-cluster.js';
import { clusterStatement, postStatement, statementPresence, summaryLine } from './support/statement-load.js';

const xapiHeaders = (auth: string) => ({ Authorization: auth, 'X-Experience-API-Version': '1.0.3' });

describe('cluster stateless app servers', function () {
  it('serves statements written on one app server from the other, and follows a more cursor across them', async function () {
    const cluster = testCluster(this);
    const { urls } = cluster.state;
    const apps = [urls.apps.app1, urls.apps.app2];
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const statement = clusterStatement(i);
      // Every third one through the HAProxy front end, the others straight to one app server.
      const target = i % 3 === 2 ? urls.front : apps[i % 2]!;
      const outcome = await postStatement(target, cluster.lrs.auth, statement);
      assert.equal(outcome.status, 200, `POST ${i} to ${target}`);
      ids.push(statement.id as string);
    }
    let readBack = 0;
    for (const [i, id] of ids.entries()) {
      const res = await fetch(`${apps[(i + 1) % 2]}/xapi/statements?statementId=${id}`, {
        headers: xapiHeaders(cluster.lrs.auth),
      });
      const body = (await res.json()) as { id?: string };
      if (res.status === 200 && body.id === id) readBack++;
    }
    assert.equal(readBack, ids.length, 'each statement reads back from the other app server');

    // A `more` cursor signed by app1 is followed on app2 (XAPI_CURSOR_SECRET is shared).
    const first = await fetch(`${apps[0]}/xapi/statements?limit=5`, {
      headers: xapiHeaders(cluster.lrs.auth),
    });
    const page = (await first.json()) as { statements: unknown[]; more: string };
    assert.equal(page.statements.length, 5);
    assert.ok(page.more, 'a first page of five has a more link');
    const next = await fetch(new URL(page.more, apps[1]), { headers: xapiHeaders(cluster.lrs.auth) });
    assert.equal(next.status, 200, 'app2 accepts the cursor app1 signed');
    assert.equal(((await next.json()) as { statements: unknown[] }).statements.length, 5);

    const presence = await statementPresence(urls.migration, cluster.lrs.tenantId, ids);
    const gap = 0;
    process.stdout.write(`${summaryLine('stateless', ids.length, presence, gap)}\n`);
    process.stdout.write(
      `      (${Math.round((Date.now() - started) / 100) / 10} s for 40 writes and 42 reads)\n`,
    );
    assert.equal(presence.present, ids.length);
    assert.equal(presence.duplicated, 0);
  });
});
