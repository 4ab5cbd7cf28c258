import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement } from '../../support/xapi-client.js';

const AGENT = encodeURIComponent(JSON.stringify({ mbox: 'mailto:shared@example.com' }));
const STATE = `/xapi/activities/state?activityId=${encodeURIComponent('http://example.com/a')}&agent=${AGENT}&stateId=s`;

describe('tenant isolation: one tenant never sees another tenant’s records', () => {
  const testDb = useTestDatabase();

  it('statements: the same id in two tenants are two statements; queries, voiding and refs stay inside a tenant', async () => {
    const { app, services } = createTestApp(testDb());
    const acme = await lrsClient(app, services, { tenant: 'Acme' });
    const globex = await lrsClient(app, services, { tenant: 'Globex' });
    const id = randomUUID();
    await acme
      .put(`/xapi/statements?statementId=${id}`)
      .send(statement({ result: { response: 'acme' } }))
      .expect(204);
    // Different content with the same id is no conflict in another tenant.
    await globex
      .put(`/xapi/statements?statementId=${id}`)
      .send(statement({ result: { response: 'globex' } }))
      .expect(204);
    assert.equal(
      (await acme.get(`/xapi/statements?statementId=${id}`).expect(200)).body.result.response,
      'acme',
    );
    assert.equal(
      (await globex.get(`/xapi/statements?statementId=${id}`).expect(200)).body.result.response,
      'globex',
    );
    const onlyAcme = randomUUID();
    await acme.put(`/xapi/statements?statementId=${onlyAcme}`).send(statement()).expect(204);
    await globex.get(`/xapi/statements?statementId=${onlyAcme}`).expect(404);
    const listed = (await globex.get('/xapi/statements').expect(200)).body.statements.map(
      (s: { id: string }) => s.id,
    );
    assert.deepEqual(listed, [id]);
    // Globex voiding Acme's statement id voids nothing in Acme.
    await globex
      .post('/xapi/statements')
      .send({
        actor: { mbox: 'mailto:x@example.com' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
        object: { objectType: 'StatementRef', id: onlyAcme },
      })
      .expect(200);
    await acme.get(`/xapi/statements?statementId=${onlyAcme}`).expect(200);
  });

  it('documents and activity definitions: same keys in two tenants are separate', async () => {
    const { app, services } = createTestApp(testDb());
    const acme = await lrsClient(app, services, { tenant: 'Acme Docs' });
    const globex = await lrsClient(app, services, { tenant: 'Globex Docs' });
    await acme.put(STATE).send({ owner: 'acme' }).expect(204);
    await globex.get(STATE).expect(404);
    await globex.put(STATE).send({ owner: 'globex' }).expect(204);
    assert.deepEqual((await acme.get(STATE).expect(200)).body, { owner: 'acme' });
    await globex.delete(STATE.replace('&stateId=s', '')).expect(204);
    assert.deepEqual((await acme.get(STATE).expect(200)).body, { owner: 'acme' });
    const id = 'http://example.com/activities/secret';
    await acme
      .post('/xapi/statements')
      .send(statement({ object: { id, definition: { name: { en: 'Acme secret' } } } }))
      .expect(200);
    const seen = (await globex.get(`/xapi/activities?activityId=${encodeURIComponent(id)}`).expect(200)).body;
    assert.deepEqual(seen, { objectType: 'Activity', id });
  });

  it('attachments: another tenant cannot fetch data by a known SHA-2', async () => {
    const { app, services } = createTestApp(testDb());
    const acme = await lrsClient(app, services, { tenant: 'Acme Files' });
    const globex = await lrsClient(app, services, { tenant: 'Globex Files' });
    const { createHash } = await import('node:crypto');
    const data = Buffer.from('acme confidential');
    const sha2 = createHash('sha256').update(data).digest('hex');
    const att = {
      usageType: 'http://example.com/u',
      display: { en: 'a' },
      contentType: 'text/plain',
      length: data.length,
      sha2,
    };
    const body = `--b\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(statement({ attachments: [att] }))}\r\n--b\r\nContent-Type: text/plain\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n${data}\r\n--b--`;
    await acme
      .post('/xapi/statements')
      .set('Content-Type', 'multipart/mixed; boundary=b')
      .send(body)
      .expect(200);
    // Globex declares the same hash with a fileUrl; asking for attachments must not return Acme's bytes.
    const [gid] = (
      await globex
        .post('/xapi/statements')
        .send(statement({ attachments: [{ ...att, fileUrl: 'http://example.com/x' }] }))
        .expect(200)
    ).body;
    const res = await globex
      .get(`/xapi/statements?statementId=${gid}&attachments=true`)
      .buffer(true)
      .expect(200);
    assert.ok(!String(res.text ?? res.body).includes('acme confidential'));
  });
});
