import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement, type LrsClient } from '../../support/xapi-client.js';

/** Polls /healthz until `work` settles; returns how many answers came and the slowest, in ms. */
async function pollHealthDuring<T>(
  base: string,
  work: Promise<T>,
): Promise<{ result: T; answered: number; worstMs: number }> {
  let done = false;
  let answered = 0;
  let worstMs = 0;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      if (res.ok) answered++;
      worstMs = Math.max(worstMs, performance.now() - started);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  try {
    const result = await work;
    return { result, answered, worstMs };
  } finally {
    done = true;
    await poller;
  }
}

/** A random, incompressible IRI of about `length` characters (a repeated letter would compress). */
const longIri = (length: number) =>
  `http://example.com/${randomBytes(length)
    .toString('base64url')
    .slice(0, length - 19)}`;

describe('xAPI request limits (issue #16: the cost of a request is bounded before work starts)', () => {
  const testDb = useTestDatabase();
  let server: Server;
  let base: string;
  let lrs: LrsClient;

  before(async () => {
    const { app, services } = createTestApp(testDb());
    lrs = await lrsClient(app, services);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  const post = (body: string) =>
    fetch(`${base}/xapi/statements`, {
      method: 'POST',
      headers: {
        Authorization: lrs.auth,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      },
      body,
    });
  const emptyObjects = (n: number) => `[${Array(n).fill('{}').join(',')}]`;

  for (const count of [20_000, 1_000_000]) {
    it(`answers a body of ${count.toLocaleString('en')} empty objects with a short 413 while /healthz keeps answering`, async () => {
      const { result, answered } = await pollHealthDuring(base, post(emptyObjects(count)));
      assert.equal(result.status, 413);
      const text = await result.text();
      assert.ok(text.length < 2000, `error body is ${text.length} bytes`);
      assert.match(JSON.parse(text).error.message, /more than 1000 statements/);
      assert.ok(answered >= 1, '/healthz answered while the request was handled');
    });
  }

  it('answers a batch of 1,000 empty objects (the limit) with a 400 listing at most 10 problems', async () => {
    const res = await post(emptyObjects(1000));
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.ok(text.length < 5000, `error body is ${text.length} bytes`);
    const { error } = JSON.parse(text);
    assert.equal(error.details.length, 10);
    assert.match(error.message, /checking stopped at statements\[\d\], so later statements were not checked/);
  });

  it('stores a batch of 1,000 statements (the limit) while /healthz keeps answering', async () => {
    const batch = Array.from({ length: 1000 }, () => statement());
    const { result, answered } = await pollHealthDuring(base, post(JSON.stringify(batch)));
    assert.equal(result.status, 200);
    assert.equal(((await result.json()) as string[]).length, 1000);
    assert.ok(answered >= 1);
  });

  it('answers a statement larger than xapi.maxStatementBytes with 413 naming it', async () => {
    const big = statement({ result: { response: 'x'.repeat(70_000) } });
    const res = await post(JSON.stringify([statement(), big]));
    assert.equal(res.status, 413);
    assert.match(
      ((await res.json()) as { error: { message: string } }).error.message,
      /statements\[1\] is larger than 65536 bytes/,
    );
  });

  const longFields: [string, () => Record<string, unknown>, RegExp][] = [
    ['object id', () => statement({ object: { id: longIri(3000) } }), /statement\.object\.id/],
    ['verb id', () => statement({ verb: { id: longIri(3000) } }), /statement\.verb\.id/],
    [
      'actor mbox',
      () => statement({ actor: { mbox: `mailto:${randomBytes(1500).toString('hex')}@example.com` } }),
      /statement\.actor /,
    ],
    [
      'actor account name',
      () =>
        statement({
          actor: { account: { homePage: 'http://example.com', name: randomBytes(1500).toString('hex') } },
        }),
      /statement\.actor /,
    ],
    [
      'context activity id',
      () => statement({ context: { contextActivities: { parent: [{ id: longIri(3000) }] } } }),
      /statement\.context\.contextActivities\.parent\[0\]\.id/,
    ],
  ];
  for (const [field, build, path] of longFields) {
    it(`refuses a 3,000-character ${field} with 400 naming the field and the limit`, async () => {
      const res = await lrs.post('/xapi/statements').send(build()).expect(400);
      assert.match(res.body.error.message, path);
      assert.match(res.body.error.message, /longer than 2000 bytes/);
    });
  }

  it('stores and finds a statement whose object id is just under the limit', async () => {
    const id = longIri(1990);
    await lrs
      .post('/xapi/statements')
      .send(statement({ object: { id } }))
      .expect(200);
    const res = await lrs.get(`/xapi/statements?activity=${encodeURIComponent(id)}`).expect(200);
    assert.equal(res.body.statements.length, 1);
  });

  it('refuses a state document whose stateId is 3,000 characters with 400 naming the key parts', async () => {
    const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:jo@example.com' }));
    const res = await lrs
      .put(
        `/xapi/activities/state?activityId=${encodeURIComponent('http://example.com/a')}&agent=${agent}&stateId=${randomBytes(1500).toString('hex')}`,
      )
      .set('Content-Type', 'application/json')
      .send('{}')
      .expect(400);
    assert.match(res.body.error.message, /activityId, agent, stateId together are \d+ bytes/);
  });

  it('refuses an altered more cursor with 400, and one with an overflowing seq', async () => {
    await lrs.post('/xapi/statements').send([statement(), statement(), statement()]).expect(200);
    const first = await lrs.get('/xapi/statements?limit=1').expect(200);
    const more = first.body.more as string;
    const cursor = new URL(more, base).searchParams.get('cursor')!;
    await lrs.get(more.slice(more.indexOf('/xapi'))).expect(200);
    const [payload, signature] = cursor.split('.');
    const forgedPayload = Buffer.from(JSON.stringify(['99999999999999999999', '1:2:'])).toString('base64url');
    for (const altered of [
      `${forgedPayload}.${signature}`,
      `${payload}.${signature!.slice(1)}`,
      payload!,
      'garbage',
    ]) {
      const res = await lrs.get(`/xapi/statements?limit=1&cursor=${encodeURIComponent(altered)}`).expect(400);
      assert.match(res.body.error.message, /more link/);
    }
  });
});
