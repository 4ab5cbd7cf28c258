import assert from 'node:assert/strict';
import { createHash, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient, statement, type LrsClient } from '../../support/xapi-client.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/xapi/${name}`, import.meta.url), 'utf8');
const signerKey = fixture('test-signer.key.pem');
const der = (name: string) => new X509Certificate(fixture(name)).raw.toString('base64');

function jws(payload: unknown): string {
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${encode({ alg: 'RS256', x5c: [der('test-signer.cert.pem'), der('test-ca.cert.pem')] })}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), signerKey).toString('base64url')}`;
}

/** POSTs a statement with a signature attachment built from `payload` (Data 2.6). */
async function postSigned(lrs: LrsClient, sent: Record<string, unknown>, payload: Record<string, unknown>) {
  const token = Buffer.from(jws(payload));
  const sha2 = createHash('sha256').update(token).digest('hex');
  const withSig = {
    ...sent,
    attachments: [
      {
        usageType: 'http://adlnet.gov/expapi/attachments/signature',
        display: { 'en-US': 'signature' },
        contentType: 'application/octet-stream',
        length: token.length,
        sha2,
      },
    ],
  };
  const body = Buffer.concat([
    Buffer.from(
      `--sig\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(withSig)}\r\n--sig\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n`,
    ),
    token,
    Buffer.from('\r\n--sig--'),
  ]);
  return lrs.post('/xapi/statements').set('Content-Type', 'multipart/mixed; boundary=sig').send(body);
}

describe('signed statements (Data 2.6) and statement formats (Communication 2.1.3)', () => {
  const testDb = useTestDatabase();
  let lrs: LrsClient;
  before(async () => {
    const { app, services } = createTestApp(testDb());
    lrs = await lrsClient(app, services);
  });

  it('accepts a statement whose JWS (RS256, x5c chain) signs an equivalent statement', async () => {
    const s = { ...statement(), id: randomUUID() };
    const res = await postSigned(lrs, s, s);
    assert.equal(res.status, 200, res.text);
  });

  it('rejects a statement whose JWS payload differs from the statement', async () => {
    const s = { ...statement(), id: randomUUID() };
    const res = await postSigned(lrs, s, { ...s, verb: { id: 'http://example.com/other' } });
    assert.equal(res.status, 400);
    await lrs.get(`/xapi/statements?statementId=${s.id}`).expect(404);
  });

  it('format=canonical returns one language per map, chosen by Accept-Language', async () => {
    const id = randomUUID();
    await lrs
      .post('/xapi/statements')
      .send({
        ...statement({
          verb: { id: 'http://example.com/verbs/greeted', display: { 'en-US': 'greeted', 'fr-FR': 'salué' } },
          object: {
            id: 'http://example.com/activities/hello',
            definition: { name: { 'en-US': 'Hello', 'fr-FR': 'Bonjour' } },
          },
        }),
        id,
      })
      .expect(200);
    const fr = await lrs
      .get(`/xapi/statements?statementId=${id}&format=canonical`)
      .set('Accept-Language', 'fr-FR, en;q=0.5')
      .expect(200);
    assert.deepEqual(fr.body.verb.display, { 'fr-FR': 'salué' });
    assert.deepEqual(fr.body.object.definition.name, { 'fr-FR': 'Bonjour' });
    const exact = await lrs.get(`/xapi/statements?statementId=${id}`).expect(200);
    assert.deepEqual(exact.body.verb.display, { 'en-US': 'greeted', 'fr-FR': 'salué' });
  });
});
