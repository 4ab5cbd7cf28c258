import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { FlattenedSign, type JWSHeaderParameters } from 'jose';
import { readFileSync } from 'node:fs';
import { aStatement } from '../../../fixtures/xapi/statements.js';
import {
  SIGNATURE_USAGE_TYPE,
  verifySignedStatements,
  verifyStatementSignature,
} from '../../../../src/xapi/rules/signature.js';
import type { JsonObject } from '../../../../src/xapi/rules/types.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/xapi/${name}`, import.meta.url), 'utf8');
const signerKey = fixture('test-signer.key.pem');
const signerCert = new X509Certificate(fixture('test-signer.cert.pem'));
const caCert = new X509Certificate(fixture('test-ca.cert.pem'));
const der = (cert: X509Certificate) => cert.raw.toString('base64');

const HASHES = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;

/** Builds a compact JWS the way a Learning Record Provider would. */
function jws(payload: unknown, key: KeyObject | string, header: JsonObject = { alg: 'RS256' }): string {
  const encode = (value: unknown) =>
    Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const hash = HASHES[header.alg as keyof typeof HASHES] ?? 'sha256';
  return `${input}.${sign(hash, Buffer.from(input), key).toString('base64url')}`;
}

const signed = (): JsonObject =>
  aStatement({ id: '33cff416-e331-4c9d-969e-5373a1756120', timestamp: '2013-04-01T12:00:00Z' });
const withSignatureAttachment = (statement: JsonObject): JsonObject => ({
  ...statement,
  attachments: [
    {
      usageType: SIGNATURE_USAGE_TYPE,
      display: { 'en-US': 'Signature' },
      contentType: 'application/octet-stream',
      length: 1,
      sha2: 'a'.repeat(64),
    },
  ],
});

describe('verifyStatementSignature (xAPI Data 2.6)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  for (const alg of ['RS256', 'RS384', 'RS512']) {
    it(`accepts a statement signed with ${alg} and a certificate chain in x5c`, async () => {
      const token = jws(signed(), signerKey, { alg, x5c: [der(signerCert), der(caCert)] });
      const result = await verifyStatementSignature(withSignatureAttachment(signed()), token);
      assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
      assert.equal(result.verified, true);
      assert.equal(result.algorithm, alg);
    });
  }
  it('accepts the payload once the LRS has added stored and authority, and a timestamp in another zone', async () => {
    const token = jws(signed(), signerKey, { alg: 'RS256', x5c: [der(signerCert)] });
    const received = withSignatureAttachment({
      ...signed(),
      timestamp: '2013-04-01T14:00:00+02:00',
      stored: '2024-01-01T00:00:00Z',
      authority: { mbox: 'mailto:lrs@example.com' },
    });
    assert.ok((await verifyStatementSignature(received, token)).ok);
  });
  it('accepts a signature without x5c as well formed but not verified', async () => {
    const result = await verifyStatementSignature(signed(), jws(signed(), privateKey));
    assert.ok(result.ok);
    assert.equal(result.verified, false);
  });
  it('verifies a signature without x5c against a key the caller supplies', async () => {
    const result = await verifyStatementSignature(signed(), jws(signed(), privateKey), { publicKey });
    assert.ok(result.ok && result.verified);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrong = await verifyStatementSignature(signed(), jws(signed(), privateKey), {
      publicKey: other.publicKey,
    });
    assert.ok(!wrong.ok);
  });
  it('rejects a payload that does not match the statement, naming the difference', async () => {
    const token = jws(signed(), signerKey, { alg: 'RS256', x5c: [der(signerCert)] });
    const result = await verifyStatementSignature({ ...signed(), result: { success: true } }, token);
    assert.ok(!result.ok);
    assert.match(
      result.errors[0]!.message,
      /payload that does not match the statement: statement\.result is absent in the JWS payload/,
    );
  });
  it("rejects a signature made with a key other than the x5c certificate's", async () => {
    const token = jws(signed(), privateKey, { alg: 'RS256', x5c: [der(signerCert)] });
    const result = await verifyStatementSignature(signed(), token);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /does not verify with the certificate in x5c\[0\]/);
  });
  it('rejects a tampered signature', async () => {
    const token = jws(signed(), signerKey, { alg: 'RS256', x5c: [der(signerCert)] });
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.ok(!(await verifyStatementSignature(signed(), tampered)).ok);
  });
  it('rejects an x5c chain whose certificates do not issue one another', async () => {
    const token = jws(signed(), signerKey, { alg: 'RS256', x5c: [der(signerCert), der(signerCert)] });
    const result = await verifyStatementSignature(signed(), token);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /not issued and signed by certificate 1/);
  });
  it('rejects x5c entries that are not certificates', async () => {
    const token = jws(signed(), signerKey, { alg: 'RS256', x5c: ['bm90IGEgY2VydA=='] });
    assert.match(
      ((await verifyStatementSignature(signed(), token)) as { errors: { message: string }[] }).errors[0]!
        .message,
      /not a valid X\.509/,
    );
  });
  it('rejects algorithms other than RS256, RS384 and RS512', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(signed())).toString('base64url');
    const result = await verifyStatementSignature(signed(), `${header}.${payload}.c2lnbmF0dXJl`);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /"HS256"; sign with RS256, RS384 or RS512/);
  });
  it('rejects a payload that is not valid JSON', async () => {
    const token = jws(JSON.stringify(signed()).replace('"', "'"), privateKey);
    const result = await verifyStatementSignature(signed(), token);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /payload that is not valid JSON/);
  });
  it('rejects text that is not a compact JWS, and the JSON serialization', async () => {
    assert.match(
      ((await verifyStatementSignature(signed(), 'not a jws')) as { errors: { message: string }[] })
        .errors[0]!.message,
      /three base64url parts/,
    );
    assert.match(
      (
        (await verifyStatementSignature(signed(), '{"payload":"x","signatures":[]}')) as {
          errors: { message: string }[];
        }
      ).errors[0]!.message,
      /compact serialization/,
    );
  });
});

describe('verifyStatementSignature with an unencoded payload (RFC 7797)', () => {
  // A compact JWS with b64 false cannot hold a '.', so this statement has none.
  const dotless = (): JsonObject => ({
    id: '33cff416-e331-4c9d-969e-5373a1756120',
    actor: { mbox: 'mailto:learner@localhost' },
    verb: { id: 'urn:example:verb:completed' },
    object: { id: 'urn:example:activity:one' },
    timestamp: '2013-04-01T12:00:00Z',
  });
  // jose signs b64 false only in the flattened form, with the payload detached; the compact form
  // puts the payload back between the dots as it stands.
  const unencoded = async (header: JsonObject) => {
    const flat = await new FlattenedSign(new TextEncoder().encode(JSON.stringify(dotless())))
      .setProtectedHeader({ alg: 'RS256', x5c: [der(signerCert)], ...header } as JWSHeaderParameters)
      .sign(createPrivateKey(signerKey));
    return `${flat.protected}.${JSON.stringify(dotless())}.${flat.signature}`;
  };

  it('verifies a payload sent unencoded with b64 false listed in crit', async () => {
    const token = await unencoded({ b64: false, crit: ['b64'] });
    assert.ok(token.split('.')[1]!.startsWith('{'));
    const result = await verifyStatementSignature(dotless(), token);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.equal(result.verified, true);
  });
  it('rejects b64 false that crit does not list', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', b64: false })).toString('base64url');
    const result = await verifyStatementSignature(dotless(), `${header}.${JSON.stringify(dotless())}.c2ln`);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /b64 header that crit does not list/);
  });
  it('rejects a crit header naming an extension the LRS does not understand', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', crit: ['exp'], exp: 1 })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(dotless())).toString('base64url');
    const result = await verifyStatementSignature(dotless(), `${header}.${payload}.c2ln`);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /crit header naming "exp", which this LRS does not understand/);
  });
});

describe('verifySignedStatements', () => {
  it('checks each signature attachment against the part with its hash', async () => {
    const statement = withSignatureAttachment(signed());
    const token = jws(signed(), signerKey, { alg: 'RS256', x5c: [der(signerCert)] });
    const parts = new Map([['a'.repeat(64), { body: Buffer.from(token) }]]);
    assert.deepEqual(await verifySignedStatements([statement], parts, false), { ok: true });
    const forged = new Map([
      [
        'a'.repeat(64),
        {
          body: Buffer.from(
            jws({ ...signed(), verb: { id: 'http://example.com/other' } }, signerKey, {
              alg: 'RS256',
              x5c: [der(signerCert)],
            }),
          ),
        },
      ],
    ]);
    const result = await verifySignedStatements([statement], forged, false);
    assert.ok(!result.ok);
    assert.equal(result.errors[0]!.path, 'statement.attachments[0]');
  });
  it('rejects a signature attachment whose JWS was not sent', async () => {
    const result = await verifySignedStatements([withSignatureAttachment(signed())], new Map(), true);
    assert.ok(!result.ok);
    assert.equal(result.errors[0]!.path, 'statements[0].attachments[0]');
    assert.match(result.errors[0]!.message, /without its JWS data/);
  });
  it('ignores statements without signature attachments', async () => {
    assert.deepEqual(await verifySignedStatements([signed()], new Map(), false), { ok: true });
  });
});
