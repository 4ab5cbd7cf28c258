import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement, type LrsClient } from '../../support/xapi-client.js';

const AGENT = encodeURIComponent(JSON.stringify({ mbox: 'mailto:doc@example.com' }));
const ACTIVITY = encodeURIComponent('http://example.com/activities/doc');
const STATE = `/xapi/activities/state?activityId=${ACTIVITY}&agent=${AGENT}`;
const ACTIVITY_PROFILE = `/xapi/activities/profile?activityId=${ACTIVITY}`;
const AGENT_PROFILE = `/xapi/agents/profile?agent=${AGENT}`;

const raw = (t: import('supertest').Test) =>
  t.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('xAPI document resources (Communication 2.3-2.7, 3.1)', () => {
  const testDb = useTestDatabase();
  let lrs: LrsClient;
  let lrs2: LrsClient;
  before(async () => {
    const { app, services } = createTestApp(testDb());
    lrs = await lrsClient(app, services);
    lrs2 = await lrsClient(app, services, { version: '2.0.0' });
  });

  it('State: PUT, GET with ETag, POST merges JSON objects, DELETE', async () => {
    await lrs
      .put(`${STATE}&stateId=s1`)
      .send({ a: 1, b: { x: 1 } })
      .expect(204);
    const got = await lrs.get(`${STATE}&stateId=s1`).expect(200);
    assert.deepEqual(got.body, { a: 1, b: { x: 1 } });
    assert.match(got.headers.etag!, /^"[0-9a-f]{40}"$/);
    assert.ok(got.headers['last-modified']);
    await lrs
      .post(`${STATE}&stateId=s1`)
      .send({ b: { y: 2 }, c: 3 })
      .expect(204);
    assert.deepEqual((await lrs.get(`${STATE}&stateId=s1`).expect(200)).body, { a: 1, b: { y: 2 }, c: 3 });
    await lrs.delete(`${STATE}&stateId=s1`).expect(204);
    await lrs.get(`${STATE}&stateId=s1`).expect(404);
  });

  it('keeps non-JSON bodies byte-exact with their content type', async () => {
    const bytes = Buffer.from([0, 255, 1, 2, 0x80, 10, 13]);
    await lrs
      .put(`${STATE}&stateId=bin`)
      .set('Content-Type', 'application/octet-stream')
      .send(bytes)
      .expect(204);
    const res = await raw(lrs.get(`${STATE}&stateId=bin`)).expect(200);
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    assert.ok((res.body as Buffer).equals(bytes));
  });

  it('POST merge is refused (400) when either document is not JSON, and the document is unchanged', async () => {
    await lrs.put(`${STATE}&stateId=text`).set('Content-Type', 'text/plain').send('hello').expect(204);
    await lrs.post(`${STATE}&stateId=text`).send({ a: 1 }).expect(400);
    assert.equal((await lrs.get(`${STATE}&stateId=text`).expect(200)).text, 'hello');
  });

  it('lists ids (multiple-document GET) filtered by since, and DELETE without stateId clears the State', async () => {
    await lrs.put(`${STATE}&stateId=m1`).send({ n: 1 }).expect(204);
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await lrs.put(`${STATE}&stateId=m2`).send({ n: 2 }).expect(204);
    const all = (await lrs.get(STATE).expect(200)).body as string[];
    assert.ok(all.includes('m1') && all.includes('m2'));
    assert.deepEqual((await lrs.get(`${STATE}&since=${encodeURIComponent(before)}`).expect(200)).body, [
      'm2',
    ]);
    await lrs.delete(STATE).expect(204);
    assert.deepEqual((await lrs.get(STATE).expect(200)).body, []);
  });

  it('State documents are kept apart by registration', async () => {
    const reg = 'c0ffee00-1111-4222-8333-444455556666';
    await lrs.put(`${STATE}&stateId=r&registration=${reg}`).send({ r: true }).expect(204);
    await lrs.get(`${STATE}&stateId=r`).expect(404);
    await lrs.get(`${STATE}&stateId=r&registration=${reg}`).expect(200);
  });

  for (const [name, base, idParam] of [
    ['Activity Profile', ACTIVITY_PROFILE, 'profileId'],
    ['Agent Profile', AGENT_PROFILE, 'profileId'],
  ] as const) {
    it(`${name}: If-None-Match: * creates, If-Match with the ETag replaces, a stale ETag is 412, no header over an existing one is 409`, async () => {
      const url = `${base}&${idParam}=p-${name.length}`;
      await lrs.put(url).set('If-None-Match', '*').send({ v: 1 }).expect(204);
      await lrs.put(url).set('If-None-Match', '*').send({ v: 2 }).expect(412);
      const etag = (await lrs.get(url).expect(200)).headers.etag!;
      await lrs.put(url).send({ v: 2 }).expect(409);
      await lrs.put(url).set('If-Match', etag).send({ v: 2 }).expect(204);
      await lrs.put(url).set('If-Match', etag).send({ v: 3 }).expect(412);
      assert.deepEqual((await lrs.get(url).expect(200)).body, { v: 2 });
      await lrs.delete(url).set('If-Match', etag).expect(412);
      await lrs.delete(url).expect(204);
    });

    it(`${name}: DELETE without ${idParam} is 400`, async () => {
      await lrs.delete(base).expect(400);
    });
  }

  it('under 2.0 a PUT over an existing State without If-Match is 409 (2.0 applies concurrency to State)', async () => {
    await lrs2.put(`${STATE}&stateId=v2`).send({ a: 1 }).expect(204);
    await lrs2.put(`${STATE}&stateId=v2`).send({ a: 2 }).expect(409);
    await lrs.put(`${STATE}&stateId=v2`).send({ a: 2 }).expect(204);
  });

  it('rejects missing or malformed agent and activityId with 400', async () => {
    await lrs.get(`/xapi/activities/state?activityId=${ACTIVITY}`).expect(400);
    await lrs.get(`/xapi/activities/state?activityId=${ACTIVITY}&agent={"name":"no ifi"}`).expect(400);
    await lrs.get(`/xapi/activities/state?activityId=not-an-iri&agent=${AGENT}`).expect(400);
  });

  it('Activities resource returns the merged canonical definition; Agents returns a Person', async () => {
    const id = 'http://example.com/activities/defined';
    await lrs
      .post('/xapi/statements')
      .send(statement({ object: { id, definition: { name: { 'en-US': 'Defined' } } } }))
      .expect(200);
    await lrs
      .post('/xapi/statements')
      .send(statement({ object: { id, definition: { description: { 'en-US': 'More' } } } }))
      .expect(200);
    const activity = (await lrs.get(`/xapi/activities?activityId=${encodeURIComponent(id)}`).expect(200))
      .body;
    assert.deepEqual(activity, {
      objectType: 'Activity',
      id,
      definition: { name: { 'en-US': 'Defined' }, description: { 'en-US': 'More' } },
    });
    const person = (
      await lrs
        .get(
          `/xapi/agents?agent=${encodeURIComponent(JSON.stringify({ name: 'Doc', mbox: 'mailto:doc@example.com' }))}`,
        )
        .expect(200)
    ).body;
    assert.deepEqual(person, { objectType: 'Person', name: ['Doc'], mbox: ['mailto:doc@example.com'] });
  });
});
